/**
 * osbuild's `JSONSeqMonitor` (spec 7): RFC 7464 records, each `0x1E` + a
 * py-json object + `\n`, with the context and progress osbuild reports, so
 * tools that drive osbuild can drive us.
 */
import { dumpsPy, fromPlain, pyTruthy, type PyJson, type PyObject } from '@osbuild-ts/core';
import { contextMember, type LogContext } from './log-context.js';
import { manifestFacts } from './manifest-facts.js';
import { omitEmpty } from './omit-empty.js';
import { sequencePipelines } from './sequence-pipelines.js';
import { sourcePhases } from './source-phases.js';
import type { Monitor, MonitorContext, MonitorEvent, MonitorOptions, MonitorOutput } from './types.js';

/** Longest `output` a result carries (osbuild#1976: consumers with 64 KiB line buffers). */
const MAX_OUTPUT = 31_000;

/** The last 31000 characters (code points, as Python counts), prefixed with how many were cut. */
export function limitOutput(output: string): string {
  if (output.length <= MAX_OUTPUT) return output;
  const chars = Array.from(output);
  if (chars.length <= MAX_OUTPUT) return output;
  const removed = chars.length - MAX_OUTPUT;
  return `[...${removed} bytes hidden...]\n${chars.slice(removed).join('')}`;
}

/** Stage metadata as py-json: a `Map` is taken as it is (ints and floats kept), plain JSON is converted. */
function metadataOf(metadata: unknown): PyJson {
  if (metadata === undefined || metadata === null) return null;
  return metadata instanceof Map ? (metadata as PyObject) : fromPlain(metadata);
}

interface Progress {
  done: number;
  sub: { name: string; total: number; done: number } | null;
}

interface RecordParts {
  result?: PyObject;
  options?: PyObject;
  duration?: number;
  metadata?: PyJson;
}

export function createJsonSeqMonitor(out: MonitorOutput, context: MonitorContext, options: MonitorOptions = {}): Monitor {
  const now = options.now ?? (() => Date.now() / 1000);
  const facts = manifestFacts(context);
  const seen = new Set<string>();
  // Stage fields are not reset when the next pipeline starts (osbuild does the same).
  const ctx: LogContext = { origin: 'org.osbuild', pipelineName: null, pipelineId: null, stageName: null, stageId: null };
  const progress: Progress = { done: 0, sub: null };
  let moduleOptions: PyObject = new Map();
  let sourceResults: PyObject[] = [];
  /** The pipeline whose records are being written; null between pipelines and for skipped ones. */
  let current: string | null = null;

  const progressMember = (): PyObject => {
    const p: PyObject = new Map<string, PyJson>([
      ['name', 'pipelines/sources'],
      ['total', BigInt(context.totalSteps)],
      ['done', BigInt(progress.done)],
    ]);
    if (progress.sub) {
      const { name, total, done } = progress.sub;
      p.set('progress', new Map<string, PyJson>([['name', name], ['total', BigInt(total)], ['done', BigInt(done)]]));
    }
    return p;
  };

  const write = (message: string | null, origin: string | null, at: number | undefined, parts: RecordParts = {}) => {
    const record: PyObject = new Map<string, PyJson>([
      ['message', message],
      ['result', parts.result ?? null],
      ['context', contextMember(origin === null ? ctx : { ...ctx, origin }, seen)],
      ['progress', progressMember()],
      ['options', parts.options && parts.options.size > 0 ? parts.options : null],
      ['timestamp', at ?? now()],
      ['duration', parts.duration ?? null],
      ['metadata', pyTruthy(parts.metadata) ? parts.metadata! : null],
    ]);
    const kept = omitEmpty(record);
    // A stage's result always says what it printed, "" included: osbuild's
    // stages practically never print nothing (its runners do), so drivers
    // can rely on the key; omitempty would drop it for a quiet stage of ours.
    const result = kept.get('result');
    if (result instanceof Map && parts.result?.has('id') && !result.has('output')) result.set('output', '');
    out.write(`\x1e${dumpsPy(kept)}\n`);
  };

  const finishPipeline = (name: string, at: number | undefined) => {
    progress.done++;
    progress.sub = null;
    write(`Finished pipeline ${name}`, 'osbuild.monitor', at);
  };

  const handle = (event: MonitorEvent, at: number | undefined) => {
    switch (event.type) {
      case 'source-start':
        ctx.pipelineName = `source ${event.source}`;
        ctx.pipelineId = facts.sourceId(event.source);
        sourceResults = [];
        write(`Starting pipeline source ${event.source}`, 'osbuild.monitor', at);
        break;
      case 'source-log':
        write(`source/${event.source} (${event.source}): ${event.line}\n`, null, at);
        break;
      case 'source-item': {
        const metadata: PyObject = new Map<string, PyJson>([['checksum', event.checksum]]);
        if (event.success) metadata.set('cached', event.cached);
        sourceResults.push(
          new Map<string, PyJson>([
            ['success', event.success],
            ['metadata', metadata],
            ['error', event.error ?? ''],
          ]),
        );
        break;
      }
      case 'source-end': {
        const name = `source ${event.source}`;
        const lastError = (sourceResults.at(-1)?.get('error') as string | undefined) ?? '';
        const result = new Map<string, PyJson>([
          ['name', name],
          ['source_type', event.source],
          ['success', event.success],
          ['output', event.success ? `${name} finished successfully` : `${name} finished unsuccessfully: ${lastError}`],
          ['results', sourceResults],
        ]);
        // Too long for one record: the overall result only; `--json` has the details.
        if (dumpsPy(result).length > MAX_OUTPUT) result.set('results', []);
        if (progress.sub) progress.sub.done++;
        write(`Finished module ${name}`, 'osbuild.monitor', at, { result, options: moduleOptions });
        finishPipeline(event.source, at);
        break;
      }
      case 'pipeline-start':
        // Not built by osbuild (its object is stored): no records.
        if (event.stages > 0 && event.cached === event.stages) break;
        current = event.pipeline;
        ctx.pipelineName = event.pipeline;
        ctx.pipelineId = event.id;
        if (event.stages > 0) progress.sub = { name: `pipeline: ${event.pipeline}`, total: event.stages, done: 0 };
        write(`Starting pipeline ${event.pipeline}`, 'osbuild.monitor', at);
        break;
      case 'stage-start':
        if (event.pipeline !== current) break;
        ctx.stageName = event.stageType;
        ctx.stageId = event.id;
        moduleOptions = facts.stageOptions(event.pipeline, event.index, event.options);
        write(`Starting module ${event.stageType}`, 'osbuild.monitor', at);
        break;
      case 'stage-output':
        if (event.pipeline !== current) break;
        write(`${event.line}\n`, `stages/${event.stageType}`, at);
        break;
      case 'stage-end': {
        if (event.pipeline !== current) break;
        // osbuild's last read of the stage's output is empty: a record without a message.
        write(null, `stages/${event.stageType}`, at);
        if (progress.sub) progress.sub.done++;
        const result = new Map<string, PyJson>([
          ['name', event.stageType],
          ['id', event.id],
          ['success', event.success],
          ['output', limitOutput(event.output)],
          ['error', null],
        ]);
        write(`Finished module ${event.stageType}`, 'osbuild.monitor', at, {
          result,
          options: moduleOptions,
          duration: event.durationMs / 1000,
          metadata: metadataOf(event.metadata),
        });
        // osbuild ends a pipeline at its failed stage.
        if (!event.success) {
          current = null;
          finishPipeline(event.pipeline, at);
        }
        break;
      }
      case 'stage-cached':
      case 'stage-pushed': {
        // Ours (osbuild has no remote cache): a stage whose object came from, or went to, the remote cache.
        const remote = event.type === 'stage-pushed' ? 'pushed' : event.remote;
        if (remote === undefined) break;
        const result = new Map<string, PyJson>([
          ['name', event.stageType],
          ['id', event.id],
          ['success', true],
          ['remote', remote],
        ]);
        write(`${remote === 'pulled' ? 'Pulled' : 'Pushed'} module ${event.stageType} ${remote === 'pulled' ? 'from' : 'to'} the remote cache`, 'osbuild.monitor', at, { result });
        break;
      }
      case 'pipeline-end':
        if (event.pipeline !== current) break;
        current = null;
        finishPipeline(event.pipeline, at);
        break;
      default:
        break;
    }
  };
  const sources = sourcePhases();
  const sequencer = sequencePipelines(handle, now);

  return {
    name: 'JSONSeqMonitor',
    begin() {
      write(`starting ${context.manifestPath}`, 'osbuild.main_cli', undefined);
    },
    event(event) {
      for (const e of sources.push(event)) sequencer.push(e);
    },
    end(success) {
      for (const e of sources.close()) sequencer.push(e);
      if (success) sequencer.flush();
      write(`manifest ${context.manifestPath} ${success ? 'finished successfully' : 'failed'}\n`, 'osbuild.main_cli', undefined);
    },
    summary: () => '',
  };
}

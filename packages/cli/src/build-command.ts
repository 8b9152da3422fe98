import { OsbuildError, dumpsPy, isOsbuildError, type Manifest, type Registry } from '@osbuild-ts/core';
import type { BuildEvent, BuildResult, StageRecord } from '@osbuild-ts/engine';
import { stageFailureDocument, successDocument, v1Document } from './result-document.js';
import type { CliArgs } from './args.js';
import type { Io } from './main.js';

/** Pipelines summary as osbuild prints it after a build (spec 5.2 step 15). */
export function summary(manifest: Manifest, checkpoints: readonly string[], cached: (id: string) => boolean): string {
  let text = '\nPipelines\n';
  for (const p of manifest.pipelines) text += `  ${(p.name + ':').padEnd(10)}\t${p.id}\n`;
  text += '\nCheckpoints\n';
  for (const id of checkpoints) text += `  ${id}: ${cached(id) ? 'cached' : 'not cached'}\n`;
  return text;
}

function logEvent(io: Io, event: BuildEvent): void {
  switch (event.type) {
    case 'pipeline-start':
      io.stdout(`Pipeline ${event.pipeline}: ${event.id}\n`);
      break;
    case 'stage-cached':
      io.stdout(`${event.stageType}: ${event.id} (cached)\n`);
      break;
    case 'stage-start':
      io.stdout(`${event.stageType}: ${event.id} (${event.reason}) ${JSON.stringify(event.options, null, 2)}\n`);
      break;
    case 'stage-output':
      io.stdout(`${event.line}\n`);
      break;
    case 'stage-end':
      io.stdout(`\n⏱  Duration: ${(event.durationMs / 1000).toFixed(2)}s\n`);
      break;
    default:
      break;
  }
}

/** Everything after `--inspect` would have printed: build, export, report. */
export interface ExportTarget {
  name: string;
  pipeline: string;
  destination?: string;
}

export async function buildCommand(
  args: CliArgs,
  io: Io,
  manifest: Manifest,
  registry: Registry,
  exports: ExportTarget[],
  checkpoints: string[],
  manifestName: string,
): Promise<number> {
  if (manifest.sources.some((s) => s.items.size > 0)) {
    throw new OsbuildError('E_NOT_IMPLEMENTED', 'fetching sources is not implemented yet in this release', {
      hint: 'manifests with a "sources" section can be inspected (--inspect) but not built yet',
    });
  }
  if (args.inVm.length > 0) throw new OsbuildError('E_NOT_IMPLEMENTED', '--in-vm is not implemented yet');
  if (args.output !== undefined) {
    // osbuild's first CLI: -o DIR received the assembler's output (v1 only).
    if (manifest.version !== 1) throw new OsbuildError('E_USAGE', '-o/--output is for v1 manifests; use --export NAME --output-directory DIR');
    const last = manifest.pipelines.find((p) => p.name === 'assembler') ?? manifest.pipelines.find((p) => p.name === 'tree');
    if (last) exports = [...exports, { name: last.name, pipeline: last.name, destination: args.output }];
  }
  if (args.monitor !== undefined && !['NullMonitor', 'LogMonitor'].includes(args.monitor)) {
    throw new OsbuildError('E_NOT_IMPLEMENTED', `monitor ${args.monitor} is not implemented yet (available: NullMonitor, LogMonitor)`);
  }
  const log = !args.json && !args.quiet && args.monitor !== 'NullMonitor';
  // The engine (sandbox, store) loads only when something is built: --inspect stays fast.
  const { buildManifest } = await import('@osbuild-ts/engine');
  if (log) io.stdout(`starting ${manifestName}\n`);
  let result: BuildResult;
  try {
    result = await buildManifest(manifest, registry, {
      store: args.store,
      exports,
      outputDirectory: args.outputDirectory,
      checkpoints: new Set(checkpoints),
      maximumSize: args.cacheMaxSize === undefined ? undefined : args.cacheMaxSize === 'unlimited' ? 'unlimited' : Number(args.cacheMaxSize),
      stageTimeoutMs: args.stageTimeout === undefined ? undefined : args.stageTimeout * 1000,
      // Until --break opens a shell in the sandbox, it keeps the failed tree for a look.
      keepFailed: args.keepFailed || args.break !== undefined,
      onEvent: log ? (event) => logEvent(io, event) : undefined,
    });
  } catch (error) {
    if (log) io.stdout(`manifest ${manifestName} failed\n`);
    const records = (isOsbuildError(error) ? (error.details as { stages?: StageRecord[] }).stages : undefined) ?? [];
    const stageFailed = isOsbuildError(error) && (error.code === 'E_STAGE_FAILED' || error.code === 'E_STAGE_TIMEOUT');
    if (args.json && stageFailed) {
      const doc = manifest.version === 1 ? v1Document(manifest, records, false) : stageFailureDocument(manifest, records, error.message);
      io.stdout(dumpsPy(doc) + '\n');
    } else if (!args.json) io.stdout('Failed\n');
    throw error;
  }
  if (log) io.stdout(`manifest ${manifestName} finished successfully\n`);
  if (args.json) {
    const doc = manifest.version === 1 ? v1Document(manifest, result.stages, true) : successDocument(manifest, result.stages);
    io.stdout(dumpsPy(doc) + '\n');
  }
  const committed = new Set(result.stages.map((s) => s.id));
  if (!args.json && !args.quiet) io.stdout(summary(manifest, checkpoints, (id) => committed.has(id)));
  return 0;
}

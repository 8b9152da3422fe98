/**
 * osbuild's `LogMonitor`, byte for byte (spec 7): a header per source and
 * pipeline, a title with py-json options per stage, stage output as it
 * comes, the duration after each stage.
 */
import { dumpsPy } from '@osbuild-ts/core';
import { manifestFacts } from './manifest-facts.js';
import { pyFixed2, strftimeC } from './py-format.js';
import { sequencePipelines } from './sequence-pipelines.js';
import { sourcePhases } from './source-phases.js';
import type { Monitor, MonitorContext, MonitorEvent, MonitorOutput } from './types.js';

/** osbuild's `vt.reset` + `vt.bold` before a title and `vt.reset` after, on a TTY only. */
const RESET = '\x1b[0m';
const BOLD = '\x1b[1m';

export function createLogMonitor(out: MonitorOutput, context: MonitorContext): Monitor {
  const facts = manifestFacts(context);
  const tty = out.isTTY === true;
  const title = (text: string) => (tty ? `${RESET}${BOLD}${text}${RESET}` : text);
  const sources = sourcePhases();

  const header = (name: string, id: string | null, build: string | null, runner: string | null, epoch: bigint | undefined) => {
    let text = `${title(`Pipeline ${name}: ${id ?? 'None'}`)}\nBuild\n  root: ${build || '<host>'}`;
    if (runner !== null) text += `\n  runner: ${runner}`;
    if (epoch !== undefined) text += `\n  source-epoch: ${strftimeC(epoch)} [${epoch}]`;
    out.write(text + '\n');
  };

  const handle = (event: MonitorEvent) => {
    switch (event.type) {
      // A source has no module start time in osbuild, so no duration line at its end.
      case 'source-start':
        header(`source ${event.source}`, facts.sourceId(event.source), null, null, undefined);
        break;
      case 'source-log':
        out.write(`source/${event.source} (${event.source}): ${event.line}\n`);
        break;
      case 'pipeline-start': {
        // osbuild does not build a pipeline whose object is stored, and prints nothing for it.
        if (event.stages > 0 && event.cached === event.stages) break;
        const p = facts.pipeline(event.pipeline);
        const runner = p ? `${p.runner.name} (${p.runner.file})${p.inVm ? ' in vm' : ''}` : null;
        header(event.pipeline, event.id, p?.build ?? null, runner, p?.sourceEpoch);
        break;
      }
      case 'stage-start': {
        const options = facts.stageOptions(event.pipeline, event.index, event.options);
        out.write(`${title(`${event.stageType}: ${event.id}`)} ${dumpsPy(options, { indent: 2 })}\n`);
        break;
      }
      case 'stage-output':
        out.write(`${event.line}\n`);
        break;
      case 'stage-end':
        out.write(`\n⏱  Duration: ${pyFixed2(event.durationMs / 1000)}s\n`);
        break;
      default:
        break;
    }
  };
  const sequencer = sequencePipelines(handle, Date.now);

  return {
    name: 'LogMonitor',
    begin() {
      // No newline: osbuild's quirk, the first header follows on the same line.
      out.write(`starting ${context.manifestPath}`);
    },
    event(event) {
      for (const e of sources.push(event)) sequencer.push(e);
    },
    end(success) {
      for (const e of sources.close()) sequencer.push(e);
      if (success) sequencer.flush();
      out.write(`manifest ${context.manifestPath} ${success ? 'finished successfully' : 'failed'}\n`);
    },
    summary: () => '',
  };
}

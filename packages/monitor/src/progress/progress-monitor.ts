/**
 * The human view: pipelines and stages n/m, cached or built (and why it
 * ran), time per stage, download bars, and a summary table at the end.
 * Stage output is kept quiet unless the stage fails (or `verbose`). On a TTY
 * live bars are drawn with cli-progress; elsewhere it prints plain lines.
 */
import { sourcePhases } from '../source-phases.js';
import type { Monitor, MonitorContext, MonitorEvent, MonitorOptions, MonitorOutput } from '../types.js';
import { summaryTable, type Paint, type SummaryRow } from './summary-table.js';
import { ttyView } from './tty-view.js';
import { formatBytes, formatDuration, formatRate } from './units.js';
import { plainView, type BarHandle, type View } from './view.js';

const SGR = { green: '32', red: '31', dim: '2', bold: '1', yellow: '33' } as const;

/** Output lines kept per stage or source for a failure report; earlier ones are counted, not kept. */
const KEEP_LINES = 1000;

interface OutputTail {
  lines: string[];
  /** How many earlier lines were let go. */
  dropped: number;
}

function pushLine(tail: OutputTail, line: string): void {
  tail.lines.push(line);
  if (tail.lines.length > KEEP_LINES) {
    tail.lines.shift();
    tail.dropped++;
  }
}

/** Terminal controls in a stage's output would fight the bars (and plain output has none). */
function clean(line: string): string {
  return line.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-Z\\-_]|[\x00-\x08\x0b-\x1f\x7f]/g, '');
}

interface StageState {
  row: SummaryRow;
  startedAt: number;
  output: OutputTail;
}

interface PipelineState {
  name: string;
  stages: number;
  cachedStages: number;
  built: number;
  /** `[n/m]` among the pipelines this run builds; null when all of it was cached. */
  position: string | null;
  startedAt: number;
  bar: BarHandle | null;
  running: StageState | null;
  done: boolean;
}

interface SourceState {
  type: string;
  items: number | undefined;
  done: number;
  cached: number;
  fetched: number;
  failed: number;
  /** Items finished by the plugin so far (their `source-item` events come at the end). */
  fetchedSoFar: number;
  /** How many items the plugin fetches. */
  fetching: number | undefined;
  /** Bytes received per item, and each item's size when known. */
  bytes: Map<string, number>;
  sizes: Map<string, number>;
  startedAt: number;
  bar: BarHandle | null;
  output: OutputTail;
}

export function createProgressMonitor(out: MonitorOutput, context: MonitorContext, options: MonitorOptions = {}): Monitor {
  const tty = out.isTTY === true;
  const color = tty && (options.color ?? !('NO_COLOR' in process.env && process.env.NO_COLOR !== ''));
  const paint: Paint = (style, text) => (color ? `\x1b[${SGR[style]}m${text}\x1b[0m` : text);
  const verbose = options.verbose === true;
  const view: View = tty ? ttyView(out) : plainView((text) => out.write(text));
  const phases = sourcePhases();
  const sourceCount = context.sources?.length ?? 0;
  const pipelineTotal = Math.max(0, context.totalSteps - sourceCount);

  const rows: SummaryRow[] = [];
  const pipelines = new Map<string, PipelineState>();
  let source: SourceState | null = null;
  let stepsDone = 0;
  let pipelinesStarted = 0;
  const startedAt = Date.now();
  let endedAt: number | null = null;
  let overall: BarHandle | null = null;

  const running = () => [...pipelines.values()].filter((p) => !p.done && p.running !== null).length;
  const printOutput = (lines: readonly string[], prefix = '') => {
    for (const line of lines) view.line(`${paint('dim', '    │')} ${prefix}${clean(line)}`);
  };
  /** A failure report: the output kept back while the stage (or source) ran. */
  const printTail = (tail: OutputTail) => {
    if (tail.dropped > 0) view.line(paint('dim', `    │ … ${tail.dropped} earlier line${tail.dropped === 1 ? '' : 's'} not shown`));
    printOutput(tail.lines.length > 0 || tail.dropped > 0 ? tail.lines : ['(no output)']);
  };
  const step = () => {
    stepsDone++;
    overall?.update(stepsDone);
  };

  const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);
  const itemsDone = (s: SourceState) => Math.max(s.done, s.cached + s.failed + s.fetchedSoFar);
  const sourceBar = (s: SourceState) => (graphic: string) => {
    const bytes = sum(s.bytes.values());
    const parts = [`${itemsDone(s)}/${s.items ?? '?'} items`];
    if (bytes > 0) {
      // The size to expect, once every item being fetched has told its own.
      const whole = s.fetching !== undefined && s.sizes.size === s.fetching ? ` of ${formatBytes(sum(s.sizes.values()))}` : '';
      parts.push(`${formatBytes(bytes)}${whole}`, formatRate(bytes, Date.now() - s.startedAt));
    }
    return `  ⇣ ${s.type} ${graphic} ${parts.filter(Boolean).join(' · ')}`;
  };

  const pipelineBar = (p: PipelineState) => (graphic: string) => {
    const done = p.cachedStages + p.built;
    let text = `  ▸ ${p.position} ${p.name} ${graphic} ${done}/${p.stages} stages`;
    const s = p.running;
    if (s) {
      text += ` · ${s.row.what} ${formatDuration(Date.now() - s.startedAt)}`;
      if (s.row.reason) text += ` (${s.row.reason})`;
    }
    return text;
  };

  const endSource = (success: boolean) => {
    const s = source;
    if (!s) return;
    source = null;
    s.bar?.remove();
    const ms = Date.now() - s.startedAt;
    const bytes = sum(s.bytes.values());
    const detail = [`${s.fetched} fetched`, `${s.cached} cached`];
    if (s.failed > 0) detail.push(`${s.failed} failed`);
    let text = `${success ? paint('green', '✓') : paint('red', '✗')} source ${s.type}: ${detail.join(', ')}`;
    if (bytes > 0) text += `, ${formatBytes(bytes)}`;
    text += ` in ${formatDuration(ms)}`;
    const rate = formatRate(bytes, ms);
    if (rate) text += ` (${rate})`;
    view.line(text);
    if (!success && !verbose && s.output.lines.length > 0) printTail(s.output);
    rows.push({ group: 'sources', what: s.type, result: success ? 'fetched' : 'failed', detail: detail.join(', '), durationMs: ms });
    step();
  };

  const endPipeline = (p: PipelineState, success: boolean) => {
    if (p.done) return;
    p.done = true;
    p.bar?.remove();
    p.bar = null;
    if (p.position === null) return;
    const ms = Date.now() - p.startedAt;
    if (success) view.line(`${paint('green', '✓')} pipeline ${paint('bold', p.name)}: done in ${formatDuration(ms)} (${p.built} built, ${p.cachedStages} cached)`);
    step();
  };

  const handle = (event: MonitorEvent) => {
    switch (event.type) {
      case 'source-start': {
        const items = event.items ?? context.sources?.find((s) => s.type === event.source)?.items.size;
        source = {
          type: event.source,
          items,
          done: 0,
          cached: 0,
          fetched: 0,
          failed: 0,
          fetchedSoFar: 0,
          fetching: undefined,
          bytes: new Map(),
          sizes: new Map(),
          startedAt: Date.now(),
          bar: null,
          output: { lines: [], dropped: 0 },
        };
        view.line(`${paint('bold', '⇣')} source ${paint('bold', event.source)}: ${items ?? 'unknown number of'} item${items === 1 ? '' : 's'}`);
        source.bar = view.bar(items ?? 0, sourceBar(source));
        break;
      }
      case 'source-progress': {
        if (!source) break;
        source.bytes.set(event.checksum, event.bytes);
        if (event.total !== undefined) source.sizes.set(event.checksum, event.total);
        if (event.done !== undefined) source.fetchedSoFar = event.done;
        if (event.fetching !== undefined) source.fetching = event.fetching;
        source.bar?.update(itemsDone(source));
        break;
      }
      case 'source-item': {
        if (!source) break;
        source.done++;
        const n = `${source.done}/${source.items ?? '?'}`;
        if (!event.success) {
          source.failed++;
          view.line(`  ${paint('red', '✗')} ${source.type} ${n} ${event.checksum}: ${event.error ?? 'failed'}`);
        } else if (event.cached) {
          source.cached++;
        } else {
          source.fetched++;
          // On a TTY the bar shows it; a log file gets one line per fetched item.
          if (!tty) {
            const size = source.bytes.get(event.checksum);
            view.line(`  ⇣ ${source.type} ${n} ${event.checksum}${size === undefined ? '' : ` ${formatBytes(size)}`}`);
          }
        }
        source.bar?.update(itemsDone(source));
        break;
      }
      case 'source-log':
        if (!source) break;
        pushLine(source.output, event.line);
        if (verbose) printOutput([event.line]);
        break;
      case 'source-end':
        endSource(event.success);
        break;
      case 'pipeline-start': {
        const cachedAll = event.stages > 0 && event.cached === event.stages;
        let position: string | null = null;
        if (!cachedAll) {
          pipelinesStarted++;
          position = `[${pipelinesStarted}/${Math.max(pipelineTotal, pipelinesStarted)}]`;
        }
        const p: PipelineState = {
          name: event.pipeline,
          stages: event.stages,
          cachedStages: 0,
          built: 0,
          position,
          startedAt: Date.now(),
          bar: null,
          running: null,
          done: false,
        };
        pipelines.set(event.pipeline, p);
        if (cachedAll) {
          view.line(`${paint('dim', '○')} pipeline ${paint('bold', p.name)}: cached (${p.stages} stage${p.stages === 1 ? '' : 's'})`);
        } else {
          const stages = event.stages === 0 ? 'no stages' : `${event.stages} stage${event.stages === 1 ? '' : 's'}${event.cached > 0 ? `, ${event.cached} cached` : ''}`;
          view.line(`${paint('bold', '▸')} pipeline ${position} ${paint('bold', p.name)}: ${stages}`);
          if (event.stages > 0) p.bar = view.bar(event.stages, pipelineBar(p));
        }
        break;
      }
      case 'stage-cached': {
        const p = pipelines.get(event.pipeline);
        const what = `${event.index + 1}/${p?.stages ?? '?'} ${event.stageType}`;
        const result = event.remote ?? 'cached';
        rows.push({ group: event.pipeline, what, result, durationMs: null });
        if (p) {
          p.cachedStages++;
          p.bar?.update(p.cachedStages + p.built);
          // A pipeline that was cached whole is one line; its stages are in the summary.
          if (p.position !== null) view.line(`  ${paint('dim', `○ ${event.pipeline} ${what}  ${result === 'pulled' ? 'pulled from the remote cache' : 'cached'}`)}`);
        }
        break;
      }
      case 'stage-waiting': {
        const p = pipelines.get(event.pipeline);
        const what = `${event.index + 1}/${p?.stages ?? '?'} ${event.stageType}`;
        view.line(`  ${paint('dim', `… ${event.pipeline} ${what}  waiting: another build is making this object (${event.key.slice(0, 12)})`)}`);
        break;
      }
      case 'stage-pushed': {
        const p = pipelines.get(event.pipeline);
        view.line(`  ${paint('dim', `↑ ${event.pipeline} ${event.index + 1}/${p?.stages ?? '?'} ${event.stageType}  pushed to the remote cache`)}`);
        break;
      }
      case 'stage-start': {
        const p = pipelines.get(event.pipeline);
        const what = `${event.index + 1}/${p?.stages ?? '?'} ${event.stageType}`;
        const row: SummaryRow = { group: event.pipeline, what, result: 'running', durationMs: null, reason: event.reason };
        rows.push(row);
        const s: StageState = { row, startedAt: Date.now(), output: { lines: [], dropped: 0 } };
        if (p) {
          p.running = s;
          p.bar?.update(p.cachedStages + p.built);
        }
        // Without bars (or when output follows) the start is a line of its own.
        if (!tty || verbose) view.line(`  ${paint('yellow', '▶')} ${event.pipeline} ${what}  building (${event.reason})`);
        break;
      }
      case 'stage-output': {
        const s = pipelines.get(event.pipeline)?.running;
        if (s) pushLine(s.output, event.line);
        if (verbose) printOutput([event.line], running() > 1 ? `[${event.pipeline}] ` : '');
        break;
      }
      case 'stage-end': {
        const p = pipelines.get(event.pipeline);
        const s = p?.running ?? null;
        const what = s?.row.what ?? `${event.index + 1}/? ${event.stageType}`;
        const time = formatDuration(event.durationMs);
        if (s) {
          s.row.result = event.success ? 'built' : 'failed';
          s.row.durationMs = event.durationMs;
        } else {
          rows.push({ group: event.pipeline, what, result: event.success ? 'built' : 'failed', durationMs: event.durationMs });
        }
        if (p) {
          p.running = null;
          if (event.success) p.built++;
          p.bar?.update(p.cachedStages + p.built);
        }
        if (event.success) {
          view.line(`  ${paint('green', '✓')} ${event.pipeline} ${what}  built in ${time}${s?.row.reason ? paint('dim', ` (${s.row.reason})`) : ''}`);
        } else {
          view.line(`  ${paint('red', '✗')} ${event.pipeline} ${what}  ${paint('red', `failed after ${time}`)}`);
          if (!verbose) printTail(s?.output ?? { lines: event.output.split('\n').slice(0, -1), dropped: 0 });
          if (p) {
            view.line(`${paint('red', '✗')} pipeline ${paint('bold', p.name)}: failed at stage ${what}`);
            endPipeline(p, false);
          }
        }
        break;
      }
      case 'pipeline-end': {
        const p = pipelines.get(event.pipeline);
        if (p) endPipeline(p, event.success);
        break;
      }
      case 'export':
        view.line(`${paint('green', '⇢')} exported ${paint('bold', event.pipeline)} to ${event.destination}`);
        break;
      default:
        break;
    }
  };

  /** Rows grouped by pipeline (in the order they first appear), stages in the order they ran. */
  const summary = () => {
    const groups = [...new Set(rows.map((r) => r.group))];
    const ordered = groups.flatMap((g) => rows.filter((r) => r.group === g));
    return summaryTable(ordered, (endedAt ?? Date.now()) - startedAt, paint);
  };

  return {
    name: 'progress',
    begin() {
      view.line(`${paint('bold', 'osbuild')} ${context.manifestPath}: ${sourceCount} source${sourceCount === 1 ? '' : 's'}, ${pipelineTotal} pipeline${pipelineTotal === 1 ? '' : 's'} to build`);
      overall = view.bar(context.totalSteps, (graphic) => `  ${graphic} ${stepsDone}/${context.totalSteps} steps · ${formatDuration(Date.now() - startedAt)}`);
    },
    event(event) {
      for (const e of phases.push(event)) handle(e);
    },
    end(success) {
      for (const e of phases.close()) handle(e);
      for (const p of pipelines.values()) {
        p.bar?.remove();
        p.bar = null;
      }
      for (const row of rows) if (row.result === 'running') row.result = 'stopped';
      endedAt = Date.now();
      view.stop();
      out.write(`\n${summary()}`);
      const mark = success ? paint('green', '✓') : paint('red', '✗');
      const result = success ? 'finished successfully' : paint('red', 'failed');
      out.write(`${mark} manifest ${context.manifestPath} ${result} in ${formatDuration(endedAt - startedAt)}\n`);
    },
    summary,
  };
}

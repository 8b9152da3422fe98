import { formatDuration } from './units.js';

/** `stopped`: still running when the build ended. */
export type RowResult = 'cached' | 'built' | 'failed' | 'running' | 'stopped' | 'fetched' | 'pulled';

export interface SummaryRow {
  /** Pipeline name, or `sources`. */
  group: string;
  /** `2/5 org.osbuild.rpm`, or the source type. */
  what: string;
  result: RowResult;
  /** Shown instead of the result word, e.g. `3 fetched, 7 cached`. */
  detail?: string;
  durationMs: number | null;
  /** Why a stage ran. */
  reason?: string;
}

export type Paint = (style: 'green' | 'red' | 'dim' | 'bold' | 'yellow', text: string) => string;

const STYLE_OF: Record<RowResult, 'green' | 'red' | 'dim' | 'yellow'> = {
  cached: 'dim',
  pulled: 'green',
  built: 'green',
  fetched: 'green',
  failed: 'red',
  running: 'yellow',
  stopped: 'yellow',
};

/** The table printed after a build: one row per stage reached (and per source), then totals. */
export function summaryTable(rows: readonly SummaryRow[], totalMs: number, paint: Paint): string {
  const header = ['PIPELINE', 'STAGE', 'RESULT', 'TIME', 'WHY'];
  const cells = rows.map((r) => [
    r.group,
    r.what,
    r.detail ?? r.result,
    r.durationMs === null ? '-' : formatDuration(r.durationMs),
    r.reason ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const pad = (text: string, i: number) => (i === 3 ? text.padStart(widths[i]!) : text.padEnd(widths[i]!));
  const lines = [paint('bold', 'Summary'), paint('dim', `  ${header.map(pad).join('  ').trimEnd()}`)];
  cells.forEach((c, r) => {
    const text = c.map((cell, i) => (i === 2 ? paint(STYLE_OF[rows[r]!.result], pad(cell, i)) : pad(cell, i)));
    lines.push(`  ${text.join('  ').trimEnd()}`);
  });

  const stages = rows.filter((r) => r.group !== 'sources');
  const count = (result: RowResult) => stages.filter((r) => r.result === result).length;
  let totals = `  ${stages.length} stage${stages.length === 1 ? '' : 's'}: ${count('built')} built, ${count('cached')} cached`;
  if (count('pulled') > 0) totals += `, ${count('pulled')} pulled from the remote cache`;
  if (count('failed') > 0) totals += `, ${count('failed')} failed`;
  const sources = rows.length - stages.length;
  if (sources > 0) totals += `; ${sources} source${sources === 1 ? '' : 's'}`;
  lines.push(`${totals} · ${formatDuration(totalMs)} in all`);
  return lines.join('\n') + '\n';
}

// Shared helper: time commands with hyperfine in one run and return the means.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** @param {Record<string, string>} commands label → shell command */
export function hyperfine(commands, { runs = 20, warmup = 3 } = {}) {
  const out = join(mkdtempSync(join(tmpdir(), 'bench-')), 'result.json');
  const args = ['--export-json', out, '--warmup', String(warmup), '--runs', String(runs), '--style', 'basic', '-N'];
  for (const [label, command] of Object.entries(commands)) args.push('-n', label, command);
  const r = spawnSync('hyperfine', args, { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error('hyperfine failed (is it installed? scripts/bootstrap installs it)');
  const results = JSON.parse(readFileSync(out, 'utf8')).results;
  return Object.fromEntries(results.map((x) => [x.command, { mean: x.mean, stddev: x.stddev }]));
}

export const ms = (s) => `${(s * 1000).toFixed(1)} ms`;

// Runs a command and returns its wall time, the CPU time of its whole process
// tree (GNU time, 10 ms resolution) and — for Node commands started through
// nodeArgs() — the main process's own peak RSS and CPU time (µs resolution).
// Used where wall time is too noisy on a loaded machine: CPU time is the
// fairer figure for warm paths, peak RSS the memory goal.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const preload = join(import.meta.dirname, 'rss-preload.cjs');

/** `node -r rss-preload …`: what to put before a Node script to get its own figures. */
export const nodeArgs = () => [process.execPath, '-r', preload];

/** {wall, cpu, selfCpu, selfRss} in seconds / MiB; throws if the command fails. */
export function runMeasured(argv, { cwd, env } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-fig-'));
  const selfFile = join(dir, 'self');
  try {
    const start = process.hrtime.bigint();
    const r = spawnSync('/usr/bin/time', ['-f', '%U %S', '-o', join(dir, 'time'), ...argv], {
      cwd,
      env: { ...process.env, ...env, BENCH_SELF_FILE: selfFile },
      encoding: 'utf8',
      maxBuffer: 64 * 2 ** 20,
    });
    const wall = Number(process.hrtime.bigint() - start) / 1e9;
    if (r.status !== 0) throw new Error(`${argv.join(" ")} failed (${r.status}): ${(r.stdout + r.stderr).slice(-3000)}`);
    const [user, sys] = readFileSync(join(dir, 'time'), 'utf8').trim().split('\n').pop().split(' ').map(Number);
    let selfRss = NaN;
    let selfCpu = NaN;
    try {
      // The last line is the command's own process (a preloaded child would exit, and write, before it).
      const [rss, cpu] = readFileSync(selfFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
      selfRss = rss / 1024;
      selfCpu = cpu / 1e6;
    } catch {
      // not a Node command started through nodeArgs()
    }
    return { wall, cpu: user + sys, selfCpu, selfRss };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Load average (1, 5, 15 min) as a string, to print beside wall-clock figures. */
export const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

// Runs a command and returns its wall time, the CPU time of everything it
// started and — for Node commands started through nodeArgs() — the main
// process's own peak RSS and CPU time (µs resolution). Used where wall time
// is too noisy on a loaded machine: CPU time is the fairer figure for warm
// paths, peak RSS the memory goal.
//
// The CPU time comes from a cgroup of the bench's own (cpuacct, or cgroup
// v2's cpu.stat) that the command is started in: rusage of the process tree
// (GNU time) misses every process that its parent does not wait for, and a
// stage's sandbox is one: bwrap's pid namespace reaps it, so a build's
// figure left out each stage's own Node (a 40-stage build: 1.5 s by
// wait4, 3.9 s by its cgroup). Without a writable cgroup, GNU time's
// figure is used, and `cpuSource` says so.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const preload = join(import.meta.dirname, 'rss-preload.cjs');

/** The Node options of a script's `#!/usr/bin/env -S node …` line: users' `osbuild` runs with them. */
export function shebangFlags(script) {
  const line = readFileSync(script, 'utf8').split('\n', 1)[0];
  const match = /^#!\/usr\/bin\/env\s+-S\s+node\s+(.*)$/.exec(line);
  return match === null ? [] : match[1].trim().split(/\s+/);
}

/** `node [its #! flags] -r rss-preload script`: a Node script run as its command runs, with its own figures. */
export const nodeArgs = (script) => [process.execPath, ...shebangFlags(script), '-r', preload, script];

/** A cgroup of this bench's own and how to read its CPU time in seconds, or null. */
function benchCgroup() {
  const candidates = existsSync('/sys/fs/cgroup/cgroup.controllers')
    ? [{ dir: `/sys/fs/cgroup/osbuild-ts-bench-${process.pid}`, read: (d) => Number(/^usage_usec (\d+)$/m.exec(readFileSync(join(d, 'cpu.stat'), 'utf8'))[1]) / 1e6 }]
    : [{ dir: `/sys/fs/cgroup/cpuacct/osbuild-ts-bench-${process.pid}`, read: (d) => Number(readFileSync(join(d, 'cpuacct.usage'), 'utf8')) / 1e9 }];
  for (const { dir, read } of candidates) {
    try {
      mkdirSync(dir);
      read(dir);
      process.on('exit', () => {
        try {
          rmdirSync(dir);
        } catch {
          // a process of the last command still in it: the kernel keeps the group until it exits
        }
      });
      return { procs: join(dir, 'cgroup.procs'), usage: () => read(dir) };
    } catch {
      // not root, no such hierarchy, or no cpu accounting in it
    }
  }
  return null;
}
let cgroup;

/** {wall, cpu, cpuSource, selfCpu, selfRss} in seconds / MiB; throws if the command fails. */
export function runMeasured(argv, { cwd, env } = {}) {
  cgroup ??= benchCgroup() ?? false;
  const dir = mkdtempSync(join(tmpdir(), 'bench-fig-'));
  const selfFile = join(dir, 'self');
  try {
    const timed = ['/usr/bin/time', '-f', '%U %S', '-o', join(dir, 'time'), ...argv];
    const before = cgroup ? cgroup.usage() : 0;
    const start = process.hrtime.bigint();
    const r = spawnSync(cgroup ? 'sh' : timed[0], cgroup ? ['-c', 'echo $$ > "$0" && exec "$@"', cgroup.procs, ...timed] : timed.slice(1), {
      cwd,
      env: { ...process.env, ...env, BENCH_SELF_FILE: selfFile },
      encoding: 'utf8',
      maxBuffer: 64 * 2 ** 20,
    });
    const wall = Number(process.hrtime.bigint() - start) / 1e9;
    const inGroup = cgroup ? cgroup.usage() - before : NaN;
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
    return cgroup ? { wall, cpu: inGroup, cpuSource: 'cgroup', selfCpu, selfRss } : { wall, cpu: user + sys, cpuSource: 'wait4', selfCpu, selfRss };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Load average (1, 5, 15 min) as a string, to print beside wall-clock figures. */
export const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

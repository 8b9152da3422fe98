import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBuildSandbox } from '../src/prewarm.js';
import type { Runner } from '../src/types.js';
import { PROBE, mountLinesUnder, mountinfo, probeArgs, reports, tempDir } from './helpers.js';

const STAGES = 3;

/**
 * One build: STAGES stages on one tree, each prewarmed while the previous one
 * runs. Half the builds hand the tree over at prewarm time, half at "go"
 * (the propagation path).
 */
async function build(id: string, buildDir: string, tree: string, late: boolean, sample: () => void) {
  const sandbox = await createBuildSandbox({ buildDir });
  const views: [string, string][][] = [];
  try {
    const prewarm = () => sandbox.prewarm(late ? PROBE : { ...PROBE, tree });
    let next: Runner = prewarm();
    for (let stage = 0; stage < STAGES; stage++) {
      const runner = next;
      if (stage + 1 < STAGES) next = prewarm();
      const lines: string[] = [];
      const result = await runner.start({
        ...(late ? { tree } : {}),
        arguments: probeArgs([{ do: 'append', path: '/run/osbuild/tree/log', text: `${id}:${stage}\n` }, { do: 'mountinfo' }]),
        onOutput: (line) => lines.push(line),
      });
      expect(result.exitCode, lines.join('\n')).toBe(0);
      views.push(reports(lines).mountinfo as [string, string][]);
      sample();
    }
  } finally {
    await sandbox.close();
  }
  return views;
}

describe('8 builds at once', () => {
  it('4 with stores of their own and 4 sharing one: all correct, mountinfo as before', async () => {
    const root = await tempDir();
    const before = mountinfo();
    const shared = path.join(root, 'shared-store/tmp');
    const jobs = Array.from({ length: 8 }, (_, i) => ({
      id: `b${i}`,
      buildDir: i < 4 ? path.join(root, `store-${i}/tmp`) : shared,
      tree: path.join(root, `tree-${i}`),
      late: i % 2 === 1,
    }));
    await Promise.all(jobs.map((job) => mkdir(job.tree, { recursive: true })));

    // Seed 003: mounts propagating between builds multiply. Sample the host's
    // mounts under our directories while the builds run.
    let peak = 0;
    const sample = () => (peak = Math.max(peak, mountLinesUnder([root]).length));
    const views = await Promise.all(jobs.map((job) => build(job.id, job.buildDir, job.tree, job.late, sample)));

    for (const job of jobs) {
      expect(await readFile(path.join(job.tree, 'log'), 'utf8')).toBe(Array.from({ length: STAGES }, (_, s) => `${job.id}:${s}\n`).join(''));
    }
    // Each stage saw its own tree and slot only: no other build's directories.
    for (const [i, job] of jobs.entries()) {
      for (const view of views[i] ?? []) {
        const roots = view.map(([mountRoot]) => mountRoot).join('\n');
        for (const other of jobs) if (other !== job) expect(roots).not.toContain(other.tree);
      }
    }
    // Per build: its two tmpfs areas plus at most one late tree bind at a time.
    expect(peak).toBeLessThanOrEqual(8 * 3);
    expect(mountLinesUnder([root])).toEqual([]);
    expect(mountLinesUnder([root], before)).toEqual([]);
    expect(peak).toBeGreaterThan(0);
    // Other suites may mount and unmount on this machine meanwhile (a sandbox of theirs that
    // went away is no leak of ours); no sandbox area may have appeared and stayed.
    const after = mountinfo();
    const appeared = after.filter((line) => !before.includes(line));
    expect(appeared.filter((line) => /osbuild-ts-(sandbox|staging)/.test(line))).toEqual([]);
  });
});

import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBuildSandbox } from '../src/prewarm.js';
import { PROBE, mountLinesUnder, mountinfo, probeArgs, reports, tempDir, type Action } from './helpers.js';

describe('prewarmed runners', () => {
  it('start before their tree exists and get it, with inputs, through propagation at "go"', async () => {
    const buildDir = await tempDir();
    const base = await tempDir();
    const build = await createBuildSandbox({ buildDir });
    try {
      const runner = build.prewarm(PROBE);
      await runner.ready;
      // Only now does the tree exist.
      const tree = path.join(base, 'tree');
      const input = path.join(base, 'input');
      await mkdir(tree);
      await mkdir(input);
      await writeFile(path.join(input, 'rpm'), 'bytes');
      const lines: string[] = [];
      const result = await runner.start({
        tree,
        inputs: [{ name: 'packages', hostPath: input }],
        arguments: probeArgs([
          { do: 'write', paths: ['/run/osbuild/tree/stage-file', '/run/osbuild/inputs/packages/x'] },
          { do: 'read', paths: ['/run/osbuild/inputs/packages/rpm'] },
        ]),
        onOutput: (line) => lines.push(line),
      });
      expect(result.exitCode, lines.join('\n')).toBe(0);
      expect(reports(lines)).toMatchObject({
        write: { '/run/osbuild/tree/stage-file': true, '/run/osbuild/inputs/packages/x': 'EROFS' },
        read: { '/run/osbuild/inputs/packages/rpm': { ok: true, value: 'bytes' } },
      });
      expect(await readFile(path.join(tree, 'stage-file'), 'utf8')).toBe('x');
      // The late binds are gone from the host as soon as the stage is.
      expect(mountLinesUnder([buildDir]).filter((line) => line.includes('/slots/'))).toEqual([]);
    } finally {
      await build.close();
    }
  });

  it('late read-only trees arrive read-only (made read-only before they propagate)', async () => {
    const build = await createBuildSandbox({ buildDir: await tempDir() });
    try {
      const runner = build.prewarm(PROBE);
      await runner.ready;
      const lines: string[] = [];
      await runner.start({
        tree: await tempDir(),
        treeReadOnly: true,
        outputDir: await tempDir(),
        arguments: probeArgs([{ do: 'write', paths: ['/run/osbuild/tree/x', '/run/osbuild/output/x'] }]),
        onOutput: (line) => lines.push(line),
      });
      expect(reports(lines).write).toEqual({ '/run/osbuild/tree/x': 'EROFS', '/run/osbuild/output/x': true });
    } finally {
      await build.close();
    }
  });

  it('keep stages apart: nothing but the tree carries over, and a runner sees only its own slot', async () => {
    const build = await createBuildSandbox({ buildDir: await tempDir() });
    const tree = await tempDir();
    try {
      // Both sandboxes exist at once: the second is prewarmed while the first runs.
      const first = build.prewarm({ ...PROBE, tree });
      const second = build.prewarm({ ...PROBE, tree });
      const scratch = ['/tmp/x', '/var/tmp/x', '/var/x', '/run/x', '/etc/x', '/dev/x', '/dev/shm/x', '/run/osbuild/mounts/x'];
      const run = async (runner: typeof first, actions: Action[]) => {
        const lines: string[] = [];
        const result = await runner.start({ arguments: probeArgs(actions), onOutput: (line) => lines.push(line) });
        expect(result.exitCode, lines.join('\n')).toBe(0);
        return reports(lines);
      };
      await run(first, [{ do: 'write', paths: [...scratch, '/run/osbuild/tree/from-first'] }, { do: 'meta', value: { first: true } }]);
      const seen = await run(second, [{ do: 'exists', paths: [...scratch, '/run/osbuild/tree/from-first'] }, { do: 'read', paths: ['/run/osbuild/meta'] }, { do: 'mountinfo' }]);
      expect(seen.exists).toEqual({ ...Object.fromEntries(scratch.map((p) => [p, false])), '/run/osbuild/tree/from-first': true });
      expect(seen.read).toEqual({ '/run/osbuild/meta': { ok: true, value: '' } });
      const slots = (seen.mountinfo as [string, string][]).map(([root]) => /\/slots\/(\d+)\//.exec(root)?.[1]).filter(Boolean);
      expect(new Set(slots)).toEqual(new Set(['1']));
    } finally {
      await build.close();
    }
  });

  it('refuse a start whose tree is not the one they were prewarmed with', async () => {
    const build = await createBuildSandbox({ buildDir: await tempDir() });
    try {
      const runner = build.prewarm({ ...PROBE, tree: await tempDir() });
      await expect(runner.start({ tree: await tempDir(), arguments: {} })).rejects.toMatchObject({ code: 'E_SANDBOX', message: expect.stringContaining('prewarmed') });
    } finally {
      await build.close();
    }
  });

  it('report a sandbox that cannot start through ready and start', async () => {
    const build = await createBuildSandbox({ buildDir: await tempDir() });
    try {
      const runner = build.prewarm({ ...PROBE, root: await tempDir() }); // a "build root" without /usr
      await expect(runner.ready).rejects.toMatchObject({ code: 'E_SANDBOX', message: expect.stringContaining('no /usr') });
      await expect(runner.start({ tree: await tempDir(), arguments: {} })).rejects.toMatchObject({ code: 'E_SANDBOX' });
    } finally {
      await build.close();
    }
  });

  it('that are never used are stopped and removed by dispose() and close(), leaving mountinfo as it was', async () => {
    const buildDir = await tempDir();
    const before = mountinfo();
    const build = await createBuildSandbox({ buildDir });
    const runners = [build.prewarm(PROBE), build.prewarm({ ...PROBE, tree: await tempDir() }), build.prewarm(PROBE)];
    await Promise.all(runners.map((runner) => runner.ready));
    expect(mountLinesUnder([buildDir])).toHaveLength(2); // the build's shared and staging areas, nothing per runner
    await runners[0]?.dispose();
    await expect(runners[0]?.start({ tree: buildDir, arguments: {} })).rejects.toMatchObject({ code: 'E_SANDBOX' });
    await build.close();
    expect(mountLinesUnder([buildDir])).toEqual([]);
    expect(mountLinesUnder([buildDir], before)).toEqual([]);
    expect(await readdir(buildDir)).toEqual([]);
    expect(() => build.prewarm(PROBE)).toThrowError(/closed/);
  });
});

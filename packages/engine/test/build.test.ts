import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '@osbuild-ts/store';
import { build, makeProject, manifest, mountsUnder, tempDir, write } from './helpers.js';

const five = (third = 'three') => [
  write('/one', 'one'),
  write('/two', 'two'),
  write('/three', third),
  write('/four', 'four'),
  { type: 'org.osbuild.mkdir', options: { paths: [{ path: '/five' }] } },
];

describe('buildManifest', () => {
  it('cold build runs every stage, warm build runs none, and exports the tree', async () => {
    const project = makeProject();
    const store = tempDir('engine-store-');
    const out = tempDir('engine-out-');
    const cold = await build(project.dir, manifest(five()), { store, outputDirectory: out });
    expect(cold.ran).toEqual([1, 2, 3, 4, 5]);
    expect(readdirSync(join(out, 'tree')).sort()).toEqual(['five', 'four', 'one', 'three', 'two']);
    expect(readFileSync(join(out, 'tree', 'three'), 'utf8')).toBe('three');
    expect(cold.stages[0]!.metadata).toEqual({ wrote: '/one' });
    expect(cold.stages[0]!.plugin).toBe('@osbuild-ts-fixtures/stage-write@1.0.0');
    expect(cold.stages[0]!.reason).toBe('not in store');

    const warm = await build(project.dir, manifest(five()), { store, outputDirectory: out });
    expect(warm.ran).toEqual([]);
    expect(warm.cached).toEqual([1, 2, 3, 4, 5]);
    expect(warm.stages[1]!.metadata).toEqual({ wrote: '/two' });
    expect(mountsUnder(store)).toEqual([]);
  });

  it('a change to stage 3 of 5 reuses stages 1-2 and reruns 3-5', async () => {
    const project = makeProject();
    const store = tempDir('engine-store-');
    await build(project.dir, manifest(five()), { store });
    const changed = await build(project.dir, manifest(five('THREE')), { store, outputDirectory: tempDir('engine-out-') });
    expect(changed.cached).toEqual([1, 2]);
    expect(changed.ran).toEqual([3, 4, 5]);
    expect(changed.stages.filter((s) => !s.cached).map((s) => s.reason)).toEqual([
      'stage 3 options changed',
      'an earlier stage changed',
      'an earlier stage changed',
    ]);
  });

  it('upgrading a plugin rebuilds exactly the objects it built and their descendants', async () => {
    const project = makeProject();
    const store = tempDir('engine-store-');
    const stages = [
      { type: 'org.osbuild.mkdir', options: { paths: [{ path: '/a' }] } },
      { type: 'org.osbuild.noop', options: { n: 1 } },
      write('/b', 'b'),
      { type: 'org.osbuild.noop', options: { n: 2 } },
    ];
    await build(project.dir, manifest(stages), { store });
    project.setWriteVersion('1.1.0');
    const upgraded = await build(project.dir, manifest(stages), { store });
    expect(upgraded.cached).toEqual([1, 2]);
    expect(upgraded.ran).toEqual([3, 4]);
    expect(upgraded.stages[2]!.plugin).toBe('@osbuild-ts-fixtures/stage-write@1.1.0');
    expect(upgraded.stages[2]!.reason).toBe('plugin @osbuild-ts-fixtures/stage-write 1.0.0 → 1.1.0');
    expect(upgraded.stages[3]!.reason).toBe('an earlier stage changed');
  });

  it('a failing stage names itself and keeps what was committed before it', async () => {
    const project = makeProject();
    const store = tempDir('engine-store-');
    const stages = [write('/one', 'one'), write('/two', 'two', { fail: true })];
    await expect(build(project.dir, manifest(stages), { store })).rejects.toMatchObject({
      code: 'E_STAGE_FAILED',
      message: expect.stringMatching(/stage org\.test\.write \(pipeline tree, stage 2, object [0-9a-f]{64}\) exited with status 3[\s\S]*failing on purpose/),
    });
    const retry = await build(project.dir, manifest([write('/one', 'one'), write('/two', 'two')]), { store });
    expect(retry.cached).toEqual([1]);
    expect(retry.ran).toEqual([2]);
    expect(mountsUnder(store)).toEqual([]);
  });

  it('keeps the failed stage\'s tree when asked, and says where', async () => {
    const project = makeProject();
    const store = tempDir('engine-store-');
    const stages = [write('/one', 'one'), write('/two', 'two', { fail: true })];
    const error = (await build(project.dir, manifest(stages), { store, keepFailed: true }).catch((e: unknown) => e)) as Error & { details: { keptTree: string } };
    expect(error.message).toContain(`its tree was kept at ${error.details.keptTree}`);
    expect(readFileSync(join(error.details.keptTree, 'one'), 'utf8')).toBe('one');
    expect(mountsUnder(store)).toEqual([]);
  });

  it('keeps the store within --cache-max-size, and still builds', async () => {
    const project = makeProject();
    const store = tempDir('engine-store-');
    const big = (n: number) => write(`/big${n}`, '', { bytes: 256 * 1024 });
    const out = tempDir('engine-out-');
    const first = await build(project.dir, manifest([big(1), big(2), big(3), big(4)]), { store, maximumSize: 600 * 1024, outputDirectory: out });
    expect(first.ran).toEqual([1, 2, 3, 4]);
    expect(readdirSync(join(out, 'tree')).sort()).toEqual(['big1', 'big2', 'big3', 'big4']);
    // A layer is evicted only with everything stacked on it: one chain of four
    // means that the whole chain goes once it is no longer used.
    const handle = await openStore(store);
    const total = (await handle.list()).reduce((sum, o) => sum + o.size, 0);
    await handle.close();
    expect(total).toBeLessThanOrEqual(600 * 1024);
  });

  it('pins checkpointed objects against eviction', async () => {
    const project = makeProject();
    const store = tempDir('engine-store-');
    const stages = [write('/big', '', { bytes: 512 * 1024 })];
    const first = await build(project.dir, manifest(stages), { store, maximumSize: 1024, checkpoints: new Set(['x']) });
    const id = first.stages[0]!.id;
    await build(project.dir, manifest(stages), { store, maximumSize: 1024, checkpoints: new Set([id]) });
    const again = await build(project.dir, manifest(stages), { store, maximumSize: 1024 });
    expect(again.cached).toEqual([1]);
  });
});

describe('tools a plugin declares', () => {
  it('a missing one stops the build before any stage runs, naming its package', async () => {
    const project = makeProject();
    const store = tempDir('engine-store-');
    const pkgFile = join(project.dir, 'node_modules', '@osbuild-ts-fixtures', 'stage-write', 'package.json');
    const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
    pkg.osbuild.tools = [{ command: 'no-such-tool-here', package: 'no-such-package' }];
    writeFileSync(pkgFile, JSON.stringify(pkg));
    const error = (await build(project.dir, manifest([write('/one', '1')]), { store }).catch((e: unknown) => e)) as Error & { code: string };
    expect(error.code).toBe('E_TOOL_MISSING');
    expect(error.message).toContain('no-such-tool-here (package no-such-package)');
    const handle = await openStore(store);
    expect(await handle.list()).toEqual([]);
    await handle.close();
  });
});

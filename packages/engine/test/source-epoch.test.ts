import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clampMtimes } from '../src/clamp-mtimes.js';
import { build, makeProject, shell, tempDir, write } from './helpers.js';

const EPOCH = 1_000_000_000;

function epochManifest(stages: unknown[], epoch: number | null = EPOCH): string {
  return JSON.stringify({ version: '2', pipelines: [{ name: 'tree', ...(epoch === null ? {} : { 'source-epoch': epoch }), stages }] });
}

const times = (path: string) => {
  const info = lstatSync(path);
  return { atime: Math.floor(info.atimeMs / 1000), mtime: Math.floor(info.mtimeMs / 1000) };
};

describe('source-epoch: mtimes are clamped at the end of the pipeline', () => {
  const first = shell('mkdir d && echo a > d/a && ln -s d/a link && echo old > old && touch -h -d @500 old');

  it('files, directories and symlinks the build made get the epoch; older ones keep their time', async () => {
    const project = makeProject();
    const store = tempDir('engine-store-');
    const out = tempDir('engine-out-');
    await build(project.dir, epochManifest([first, write('/c', 'c'), shell('echo b > b')]), { store, outputDirectory: out });
    const tree = join(out, 'tree');
    for (const path of ['.', 'd']) expect([path, times(join(tree, path)).mtime]).toEqual([path, EPOCH]);
    // (a directory's atime moves whenever it is listed, so only files are checked for it)
    for (const path of ['d/a', 'link', 'b', 'c']) expect([path, times(join(tree, path))]).toEqual([path, { atime: EPOCH, mtime: EPOCH }]);
    expect(times(join(tree, 'old')).mtime).toBe(500);
  });

  it('also after a rebuild that reuses the first stages from the store', async () => {
    const project = makeProject();
    const store = tempDir('engine-store-');
    const out = tempDir('engine-out-');
    await build(project.dir, epochManifest([first, write('/c', 'c'), shell('echo b > b')]), { store });
    const again = await build(project.dir, epochManifest([first, write('/c', 'c'), shell('echo B > b')]), { store, outputDirectory: out });
    expect(again.cached).toEqual([1, 2]);
    expect(again.ran).toEqual([3]);
    for (const path of ['d/a', 'c', 'b']) expect(times(join(out, 'tree', path)).mtime).toBe(EPOCH);
    expect(times(join(out, 'tree', 'old')).mtime).toBe(500);
  });

  it('a pipeline without source-epoch keeps the times the build gave', async () => {
    const project = makeProject();
    const store = tempDir('engine-store-');
    const out = tempDir('engine-out-');
    const before = Math.floor(Date.now() / 1000);
    await build(project.dir, epochManifest([write('/c', 'c')], null), { store, outputDirectory: out });
    expect(times(join(out, 'tree', 'c')).mtime).toBeGreaterThanOrEqual(before);
  });

  it('clampMtimes counts what it clamped and leaves files already at the epoch alone', async () => {
    const dir = tempDir('engine-clamp-');
    const { writeFileSync, utimesSync } = await import('node:fs');
    const now = Math.floor(Date.now() / 1000);
    const target = now + 1000;
    writeFileSync(join(dir, 'new'), 'n');
    writeFileSync(join(dir, 'at-target'), 't');
    utimesSync(join(dir, 'at-target'), target, target);
    writeFileSync(join(dir, 'old'), 'o');
    utimesSync(join(dir, 'old'), now - 3600, now - 3600);
    expect(await clampMtimes(dir, now - 60, target)).toBe(2); // new, and the directory
    expect(times(join(dir, 'old')).mtime).toBe(now - 3600);
    expect(await clampMtimes(dir, now - 60, target)).toBe(0);
  });
});

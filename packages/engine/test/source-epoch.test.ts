import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
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
    expect(await clampMtimes(dir, now - 60, target)).toEqual({ clamped: 2, skipped: 0 }); // new, and the directory
    expect(times(join(dir, 'old')).mtime).toBe(now - 3600);
    expect(await clampMtimes(dir, now - 60, target)).toEqual({ clamped: 0, skipped: 0 });
  });

  it('a stage on top of a clamped tree: the clamp walks its own layer only, with the result of a whole-tree walk', async () => {
    const project = makeProject();
    const store = tempDir('engine-store-');
    const out = tempDir('engine-out-');
    const stages = [first, write('/c', 'c')];
    await build(project.dir, epochManifest(stages), { store });
    const again = await build(project.dir, epochManifest([...stages, shell('echo e > e && mkdir -p d/new && rm old')]), { store, outputDirectory: out });
    expect(again.ran).toEqual([3]);
    for (const path of ['.', 'd', 'd/a', 'c', 'e', 'd/new']) expect([path, times(join(out, 'tree', path)).mtime]).toEqual([path, EPOCH]);
    // The bound recorded for the clamped object lets the stage on top skip the walk below…
    const infos = readdirSync(join(store, 'objects')).map((k) => JSON.parse(readFileSync(join(store, 'objects', k, 'object.info'), 'utf8')) as { depth: number; mtimeBound?: number; created: number });
    const byDepth = (depth: number) => infos.find((info) => info.depth === depth)!;
    const since = byDepth(1).created;
    expect(byDepth(2).mtimeBound).toBeLessThan(since);
    // …and so its layer holds only what it wrote (a whole-tree walk would also leave lower files alone: they are at the epoch).
    const top = readdirSync(join(store, 'objects')).find((k) => JSON.parse(readFileSync(join(store, 'objects', k, 'object.info'), 'utf8')).depth === 3)!;
    expect(readdirSync(join(store, 'objects', top, 'layer')).sort()).toEqual(['d', 'e', 'old']); // old: the whiteout
  });

  it('clampMtimes over an overlay, walking the upper dir: the same times as a walk of the merged tree when nothing below is at or after since', async () => {
    const now = Math.floor(Date.now() / 1000);
    const since = now - 60;
    const result = async (partial: boolean) => {
      const dir = tempDir('engine-clamp-overlay-');
      for (const sub of ['lower', 'upper', 'work', 'merged']) mkdirSync(join(dir, sub));
      const lower = join(dir, 'lower');
      mkdirSync(join(lower, 'etc'));
      for (const name of ['etc/a', 'etc/b', 'gone', 'kept']) writeFileSync(join(lower, name), name);
      for (const name of ['etc/a', 'etc/b', 'gone', 'kept', 'etc', '.']) utimesSync(join(lower, name), now - 3600, now - 3600);
      const merged = join(dir, 'merged');
      execFileSync('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${lower},upperdir=${join(dir, 'upper')},workdir=${join(dir, 'work')}`, merged]);
      try {
        writeFileSync(join(merged, 'etc/new'), 'n'); // new in a merged directory
        writeFileSync(join(merged, 'etc/a'), 'changed'); // copied up
        rmSync(join(merged, 'gone')); // a whiteout in the upper dir
        mkdirSync(join(merged, 'fresh/deeper'), { recursive: true });
        const clamped = await clampMtimes(merged, since, EPOCH, partial ? { walk: join(dir, 'upper') } : {});
        const seen: Record<string, number> = {};
        const visit = (path: string) => {
          seen[path] = Math.floor(lstatSync(join(merged, path)).mtimeMs / 1000);
          if (lstatSync(join(merged, path)).isDirectory()) for (const name of readdirSync(join(merged, path))) visit(path === '.' ? name : `${path}/${name}`);
        };
        visit('.');
        return { clamped, seen };
      } finally {
        execFileSync('umount', [merged]);
      }
    };
    const whole = await result(false);
    expect(whole.seen).toMatchObject({ '.': EPOCH, etc: EPOCH, 'etc/a': EPOCH, 'etc/new': EPOCH, 'etc/b': now - 3600, kept: now - 3600, fresh: EPOCH, 'fresh/deeper': EPOCH });
    expect(await result(true)).toEqual(whole);
  });
});

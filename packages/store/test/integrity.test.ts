import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isStoreError, openStore, type PreparedLayer, type Store } from '../src/index.js';
import { key, scratchDir } from './helpers.js';

const scratch = scratchDir('integrity');

async function chain(store: Store, n: number): Promise<string[]> {
  const keys: string[] = [];
  let parent: string | null = null;
  for (let i = 1; i <= n; i++) {
    const prepared = (await store.prepareLayer(key(`c${i}`), parent)) as PreparedLayer;
    writeFileSync(join(prepared.treePath, `file${i}`), `content ${i}\n`);
    await prepared.commit({ id: `stage-${i}`, plugins: [] });
    keys.push(key(`c${i}`));
    parent = key(`c${i}`);
  }
  return keys;
}

const layer = (root: string, k: string) => join(root, 'objects', k, 'layer');

async function holdError(root: string, k: string): Promise<unknown> {
  const store = await openStore(root);
  try {
    await store.hold(k);
    return null;
  } catch (error) {
    return error;
  } finally {
    await store.close();
  }
}

describe('layer seals', () => {
  it('a committed stack checks out in a new run; a change made through the file system is found, named, and its object id given', async () => {
    const root = scratch.fresh('store');
    const store = await openStore(root);
    const keys = await chain(store, 3);
    await store.close();
    expect(await holdError(root, keys[2]!)).toBeNull();

    // A byte flipped by writing to the file, with its mtime put back: ctime still moves.
    const file = join(layer(root, keys[1]!), 'file2');
    const before = readFileSync(file);
    const { mtime, atime } = await import('node:fs').then((fs) => fs.statSync(file));
    const fd = openSync(file, 'r+');
    writeSync(fd, 'C', 0);
    closeSync(fd);
    await import('node:fs').then((fs) => fs.utimesSync(file, atime, mtime));
    expect(readFileSync(file).length).toBe(before.length);
    const error = await holdError(root, keys[2]!);
    expect(isStoreError(error, 'damaged')).toBe(true);
    // (Node cannot put a nanosecond mtime back exactly; with it, the message says "files were rewritten in place".)
    expect((error as Error).message).toMatch(new RegExp(`object ${keys[1]} \\(stage id stage-2\\) changed on disk since it was committed: (files were rewritten in place|/file2: mtime)`));
    expect((error as { details: { key: string } }).details.key).toBe(keys[1]);
    // The stack below it is intact.
    expect(await holdError(root, keys[0]!)).toBeNull();
  });

  it('names what changed: added, removed, truncated; a missing layer dir; a broken link', async () => {
    const fresh = async () => {
      const root = scratch.fresh('store');
      const store = await openStore(root);
      const keys = await chain(store, 4);
      await store.close();
      return { root, keys };
    };
    let { root, keys } = await fresh();
    writeFileSync(join(layer(root, keys[0]!), 'intruder'), 'x');
    expect(String(await holdError(root, keys[0]!))).toMatch(/\/intruder: added/);
    ({ root, keys } = await fresh());
    rmSync(join(layer(root, keys[0]!), 'file1'));
    expect(String(await holdError(root, keys[3]!))).toMatch(new RegExp(`object ${keys[0]} .*/file1: removed`));
    ({ root, keys } = await fresh());
    truncateSync(join(layer(root, keys[1]!), 'file2'), 2);
    expect(String(await holdError(root, keys[1]!))).toMatch(/\/file2: size 10 → 2/);
    ({ root, keys } = await fresh());
    rmSync(layer(root, keys[2]!), { recursive: true });
    expect(String(await holdError(root, keys[2]!))).toMatch(/its layer directory is gone/);
    ({ root, keys } = await fresh());
    writeFileSync(join(root, 'objects', keys[2]!, 'object.info'), '{garbled');
    const broken = await holdError(root, keys[3]!);
    expect(isStoreError(broken, 'missing')).toBe(true);
    expect((broken as { details: { key: string } }).details.key).toBe(keys[2]);
  });

  it('drop() takes an object out; verify() reads every file, and --repair drops what is bad and re-seals a copied store', async () => {
    const root = scratch.fresh('store');
    const store = await openStore(root);
    const keys = await chain(store, 3);
    expect((await store.verify()).map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);

    // Changed below the file system's notice (same size, same mtime, same ctime is impossible from
    // user space, so simulate what a raw-device edit leaves: the manifest's digest no longer matches the data).
    const manifest = join(root, 'objects', keys[0]!, 'layer.manifest');
    const info = JSON.parse(readFileSync(join(root, 'objects', keys[0]!, 'object.info'), 'utf8'));
    const text = readFileSync(manifest, 'utf8').replace(/[0-9a-f]{64}/, '0'.repeat(64));
    writeFileSync(manifest, text);
    info.manifest = (await import('node:crypto')).createHash('sha256').update(text).digest('hex');
    writeFileSync(join(root, 'objects', keys[0]!, 'object.info'), JSON.stringify(info));
    const reports = await store.verify();
    expect(reports.map((r) => [r.key, r.status])).toEqual([
      [keys[0], 'damaged'],
      [keys[1], 'broken'],
      [keys[2], 'broken'],
    ]);
    expect(reports[0]!.problems).toEqual(['/file1: content changed']);
    expect((await store.verify({ repair: true })).every((r) => r.repaired)).toBe(true);
    expect(await store.list()).toEqual([]);
    await store.close();

    // A store copied elsewhere (new inodes and ctimes, same content) is re-sealed, not dropped.
    const copyRoot = scratch.fresh('store');
    const original = await openStore(copyRoot);
    const again = await chain(original, 2);
    await original.close();
    const moved = `${layer(copyRoot, again[1]!)}.old`;
    renameSync(layer(copyRoot, again[1]!), moved);
    (await import('node:child_process')).execFileSync('cp', ['-a', moved, layer(copyRoot, again[1]!)]);
    rmSync(moved, { recursive: true });
    expect(isStoreError(await holdError(copyRoot, again[1]!), 'damaged')).toBe(true);
    const copied = await openStore(copyRoot);
    expect((await copied.verify()).map((r) => r.status)).toEqual(['ok', 'resealed']);
    await copied.verify({ repair: true });
    expect((await copied.verify()).map((r) => r.status)).toEqual(['ok', 'ok']);
    await copied.close();
    expect(await holdError(copyRoot, again[1]!)).toBeNull();
  });

  it('objects of format v1 (no digest) are never trusted: damaged on use, unsealed in verify', async () => {
    const root = scratch.fresh('store');
    const store = await openStore(root);
    const keys = await chain(store, 1);
    await store.close();
    const file = join(root, 'objects', keys[0]!, 'object.info');
    const info = JSON.parse(readFileSync(file, 'utf8'));
    delete info.seal;
    delete info.manifest;
    writeFileSync(file, JSON.stringify({ ...info, format: 'osbuild-ts.layer.v1' }));
    const error = await holdError(root, keys[0]!);
    expect(isStoreError(error, 'damaged')).toBe(true);
    expect(String(error)).toMatch(/older osbuild-ts, without a digest/);
    const again = await openStore(root);
    expect(await again.has(keys[0]!)).toBe(true);
    expect((await again.verify()).map((r) => r.status)).toEqual(['unsealed']);
    await again.close();
  });

  it('a layer too large to walk here is checked by find | sort: intact passes (also with names that sort otherwise as bytes), a change is found', async () => {
    const root = scratch.fresh('store');
    const store = await openStore(root);
    const prepared = (await store.prepareLayer(key('big'), null)) as PreparedLayer;
    for (let d = 0; d < 5; d++) {
      mkdirSync(join(prepared.treePath, `d${d}`));
      for (let i = 0; i < 900; i++) writeFileSync(join(prepared.treePath, `d${d}`, `f${i}`), '');
    }
    // A control character sorts before the newline that ends a path in find | sort's records: the
    // streamed seal comes out in another order and differs, and the full scan finds the layer intact.
    writeFileSync(join(prepared.treePath, 'd0\x01x'), 'x');
    writeFileSync(join(prepared.treePath, 'line\nbreak'), 'x');
    await prepared.commit({ id: 'big', plugins: [] });
    await store.close();
    // The commit's walk counted the entries (5 dirs of 900 files, 2 files, the root): the check goes to find at once.
    const infoFile = join(root, 'objects', key('big'), 'object.info');
    const info = JSON.parse(readFileSync(infoFile, 'utf8')) as Record<string, unknown>;
    expect(info['entries']).toBe(5 * 901 + 3);
    expect(await holdError(root, key('big'))).toBeNull();
    // An object made before the count was recorded: the walk here gives up, find decides, the same way.
    writeFileSync(infoFile, `${JSON.stringify({ ...info, entries: undefined })}\n`);
    expect(await holdError(root, key('big'))).toBeNull();
    chmodSync(join(layer(root, key('big')), 'd3', 'f500'), 0o600);
    const error = await holdError(root, key('big'));
    expect(isStoreError(error, 'damaged')).toBe(true);
    expect((error as Error).message).toContain('/d3/f500: mode');
  });
});

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/index.js';
import { key, scratchDir, startWorker } from './helpers.js';

const scratch = scratchDir('evict');
const KiB = 1024;

/** Builds `key` on `parent` with a 32 KiB file; returns after commit (the object stays held by `store`). */
async function build(store: Store, k: string, parent: string | null) {
  const prepared = await store.prepareLayer(k, parent);
  if (prepared.cached) return prepared.hold;
  writeFileSync(join(prepared.treePath, k), Buffer.alloc(32 * KiB, 1));
  return prepared.commit({ id: k, plugins: [] });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('eviction', () => {
  it('keeps everything with the default (unlimited) size', async () => {
    const store = await openStore(scratch.fresh('store'));
    for (const n of [1, 2, 3]) (await build(store, key(`u${n}`), null)).release();
    const report = await store.evict();
    expect(report).toMatchObject({ maximumSize: 'unlimited', evicted: [] });
    expect((await store.list()).length).toBe(3);
    await store.close();
  });

  it('evicts least-recently-used leaves first, never an object in use, and persists the bound', async () => {
    const root = scratch.fresh('store');
    const store = await openStore(root);
    // Three independent objects, used in the order a, b, c, b (kept in use), a.
    for (const name of ['a', 'b', 'c']) {
      (await build(store, key(name), null)).release();
      await sleep(20);
    }
    const inUse = await store.hold(key('b'));
    await sleep(20);
    (await store.hold(key('a'))).release();
    const size = (await store.info(key('a')))?.size ?? 0;
    expect(size).toBeGreaterThanOrEqual(32 * KiB);

    await store.setMaximumSize(size); // room for one object
    const report = await store.evict();
    // c is the least recently used, then b, which is in use, then a.
    expect(report.evicted).toEqual([key('c'), key('a')]);
    expect(report.inUse).toEqual([key('b')]);
    expect(await store.has(key('b'))).toBe(true);
    inUse.release();
    expect((await store.evict()).evicted).toEqual([]); // b alone fits
    await store.close();

    expect(JSON.parse(readFileSync(join(root, 'cache.info'), 'utf8'))).toEqual({ version: 1, 'maximum-size': size });
    const again = await openStore(root, { maximumSize: 0 });
    expect(await again.maximumSize()).toBe(0);
    expect((await again.evict()).evicted).toEqual([key('b')]);
    await again.close();
  });

  it('removes a layer only after every object stacked on it', async () => {
    const store = await openStore(scratch.fresh('store'));
    (await build(store, key('p1'), null)).release();
    (await build(store, key('p2'), key('p1'))).release();
    (await build(store, key('p3'), key('p2'))).release();
    (await build(store, key('q3'), key('p2'))).release();
    // p1 is touched last (used through every descendant), but is no leaf.
    await store.setMaximumSize(0);
    const report = await store.evict();
    expect(report.evicted.slice(0, 2).sort()).toEqual([key('p3'), key('q3')].sort());
    expect(report.evicted.slice(2)).toEqual([key('p2'), key('p1')]);
    await store.close();
  });

  it('never evicts pinned objects or what they stack on', async () => {
    const store = await openStore(scratch.fresh('store'));
    (await build(store, key('x1'), null)).release();
    const pinned = await store.prepareLayer(key('x2'), key('x1'));
    if (pinned.cached) throw new Error('unexpected cache hit');
    (await pinned.commit({ id: 'x2', plugins: [], pin: true })).release();
    (await build(store, key('x3'), key('x2'))).release();
    (await build(store, key('y1'), null)).release();
    await store.setMaximumSize(0);
    expect([...(await store.evict()).evicted].sort()).toEqual([key('x3'), key('y1')].sort());
    expect((await store.list()).map((e) => [e.key, e.pinned]).sort()).toEqual([
      [key('x1'), false],
      [key('x2'), true],
    ]);
    await store.unpin(key('x2'));
    expect((await store.evict()).evicted).toEqual([key('x2'), key('x1')]);
    await store.close();
  });

  it('enforces the bound after each commit and at close, keeping what the running build uses', async () => {
    const root = scratch.fresh('store');
    const store = await openStore(root, { maximumSize: 40 * KiB });
    const chain: string[] = [];
    for (let i = 0; i < 4; i++) {
      // Each hold is kept: the build still needs every layer below its next stage.
      await build(store, key(`k${i}`), chain.at(-1) ?? null);
      chain.push(key(`k${i}`));
    }
    expect((await store.list()).length).toBe(4); // over the bound, but all in use
    const tree = await store.mountTree(chain[3] as string);
    expect(existsSync(join(tree.path, key('k0')))).toBe(true);
    await tree.unmount();
    await store.close(); // releases the holds, then evicts
    const after = await openStore(root);
    expect((await after.list()).length).toBeLessThanOrEqual(1);
    await after.close();
  });

  it('another process using an object keeps it, until it lets go', async () => {
    const root = scratch.fresh('store');
    const store = await openStore(root);
    (await build(store, key('m1'), null)).release();
    (await build(store, key('m2'), key('m1'))).release();
    const worker = startWorker({ kind: 'mount', store: root, key: key('m2') });
    const mounted = await worker.waitFor((e) => e.event === 'mounted');
    await store.setMaximumSize(0);
    const report = await store.evict();
    expect(report.evicted).toEqual([]);
    expect(report.inUse).toEqual([key('m2')]);
    // The other build's view still works.
    expect(existsSync(join(mounted['path'] as string, key('m1')))).toBe(true);
    worker.child.stdin?.end();
    expect((await worker.exited).code).toBe(0);
    // The worker evicted at its close already (the bound is 0 for everyone).
    await store.evict();
    expect(await store.list()).toEqual([]);
    await store.close();
  });
});

// The mtime bound recorded at commit (ObjectInfo.mtimeBound): what lets the
// engine's source-epoch clamp of a stage on top walk only that stage's own
// layer. It must never be lower than an mtime the merged tree shows, and an
// object without it (an older store) must still be used as before.
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, type PreparedLayer } from '../src/index.js';
import { key, scratchDir } from './helpers.js';

const scratch = scratchDir('mtime-bound');
const infoFile = (root: string, k: string) => join(root, 'objects', k, 'object.info');
const recorded = (root: string, k: string) => (JSON.parse(readFileSync(infoFile(root, k), 'utf8')) as { mtimeBound?: number }).mtimeBound;

describe('the mtime bound of an object', () => {
  it('is the latest mtime of its stack, lowered by a complete clamp, and null above a layer without one', async () => {
    const root = scratch.fresh('store');
    const store = await openStore(root);
    const now = Math.floor(Date.now() / 1000);

    const a = (await store.prepareLayer(key('a'), null)) as PreparedLayer;
    expect(a.mtimeBoundBelow).toBe(Number.NEGATIVE_INFINITY); // nothing below: the layer is the tree
    writeFileSync(join(a.treePath, 'old'), 'o');
    utimesSync(join(a.treePath, 'old'), 1000, 1000);
    writeFileSync(join(a.treePath, 'future'), 'f');
    utimesSync(join(a.treePath, 'future'), now + 5000, now + 5000);
    await a.commit({ id: 'a', plugins: [] });
    expect(recorded(root, key('a'))).toBe(now + 5000);

    // b on a, clamped: everything at or after `since` went to the epoch.
    const b = (await store.prepareLayer(key('b'), key('a'))) as PreparedLayer;
    expect(b.mtimeBoundBelow).toBe(now + 5000);
    expect(b.layerDir).not.toBe(b.treePath);
    writeFileSync(join(b.treePath, 'new'), 'n');
    utimesSync(join(b.treePath, 'new'), 500, 500);
    utimesSync(join(b.treePath, 'future'), 500, 500);
    utimesSync(b.treePath, 500, 500);
    await b.commit({ id: 'b', plugins: [], clamp: { since: now - 10, epoch: 500, complete: true } });
    expect(recorded(root, key('b'))).toBe(now - 11);

    // An incomplete clamp (a file skipped) proves nothing: the stack's own maximum stays.
    const c = (await store.prepareLayer(key('c'), key('a'))) as PreparedLayer;
    await c.commit({ id: 'c', plugins: [], clamp: { since: now - 10, epoch: 500, complete: false } });
    expect(recorded(root, key('c'))).toBe(now + 5000);
    await store.close();

    // An older store's object: no record. It is still read, held and built on; above it the bound is unknown.
    const text = readFileSync(infoFile(root, key('a')), 'utf8');
    writeFileSync(infoFile(root, key('a')), text.replace(/"mtimeBound":\d+,/, ''));
    expect(recorded(root, key('a'))).toBeUndefined();
    const again = await openStore(root);
    const d = (await again.prepareLayer(key('d'), key('a'))) as PreparedLayer;
    expect(d.mtimeBoundBelow).toBeNull();
    await d.commit({ id: 'd', plugins: [] });
    expect(recorded(root, key('d'))).toBeUndefined();
    // …unless a complete clamp bounds the whole tree by itself.
    const e = (await again.prepareLayer(key('e'), key('a'))) as PreparedLayer;
    utimesSync(join(e.treePath, 'future'), 500, 500);
    utimesSync(e.treePath, 500, 500);
    await e.commit({ id: 'e', plugins: [], clamp: { since: now - 10, epoch: 500, complete: true } });
    expect(recorded(root, key('e'))).toBe(now - 11);
    // Above b (clamped): the layers below show nothing newer than since − 1.
    const f = (await again.prepareLayer(key('f'), key('b'))) as PreparedLayer;
    expect(f.mtimeBoundBelow).toBe(now - 11);
    await f.abort();
    expect((await again.verify()).filter((r) => r.status !== 'ok')).toEqual([]);
    await again.close();
  });
});

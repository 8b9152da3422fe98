// ObjectInfo.chain: the stages whose changes an object's layer also holds
// (the engine runs consecutive device stages on one layer). Recorded at
// commit, read back with the info; an object without it (an older store)
// reads as before, and a garbled record makes the object unreadable (it is
// then rebuilt), never silently half-read.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, type PreparedLayer } from '../src/index.js';
import { key, scratchDir } from './helpers.js';

const scratch = scratchDir('chain-record');
const infoFile = (root: string, k: string) => join(root, 'objects', k, 'object.info');

describe('the chain record of an object', () => {
  it('keeps the earlier stages’ keys, ids and metadata; absent when none; a garbled one makes the object unreadable', async () => {
    const root = scratch.fresh('store');
    const store = await openStore(root);
    const a = (await store.prepareLayer(key('c'), null)) as PreparedLayer;
    writeFileSync(join(a.treePath, 'f'), 'x');
    const chain = [
      { key: key('a'), id: 'a', metadata: { made: 1 } },
      { key: key('b'), id: 'b', metadata: null },
    ];
    await a.commit({ id: 'c', plugins: [], metadata: { last: true }, chain });
    expect((await store.info(key('c')))?.chain).toEqual(chain);
    expect(await store.metadata(key('c'))).toEqual({ last: true });
    expect(await store.has(key('a'))).toBe(false);

    const plain = (await store.prepareLayer(key('d'), key('c'))) as PreparedLayer;
    await plain.commit({ id: 'd', plugins: [], chain: [] });
    expect((await store.info(key('d')))?.chain).toBeUndefined();
    expect(readFileSync(infoFile(root, key('d')), 'utf8')).not.toContain('"chain"');
    await store.close();

    const text = readFileSync(infoFile(root, key('c')), 'utf8');
    writeFileSync(infoFile(root, key('c')), text.replace(/"chain":\[.*\],/, '"chain":[{"id":"a"}],'));
    const again = await openStore(root);
    expect(await again.info(key('c'))).toBeNull();
    await again.close();
  });
});

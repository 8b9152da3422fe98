import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/index.js';
import { entries, key, scratchDir } from './helpers.js';

const scratch = scratchDir('flatten');

/** Stage i writes /n/<i>, deletes /n/<i-2>, and rewrites /counter. */
async function chain(store: Store, count: number, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for (let i = 0; i < count; i++) {
    const k = key(`${prefix}${i}`);
    const prepared = await store.prepareLayer(k, keys.at(-1) ?? null);
    if (prepared.cached) throw new Error('unexpected cache hit');
    mkdirSync(join(prepared.treePath, 'n'), { recursive: true });
    writeFileSync(join(prepared.treePath, 'n', String(i)), String(i));
    if (i >= 2) rmSync(join(prepared.treePath, 'n', String(i - 2)));
    writeFileSync(join(prepared.treePath, 'counter'), String(i));
    await prepared.commit({ id: `id${i}`, plugins: [] });
    keys.push(k);
  }
  return keys;
}

describe('deep stacks', () => {
  it('flattens an object whose stack would exceed maxDepth, keeping its tree', async () => {
    const store = await openStore(scratch.fresh('store'), { maxDepth: 3 });
    const keys = await chain(store, 8, 'f');
    const depths = [];
    for (const k of keys) depths.push((await store.info(k))?.depth);
    expect(depths).toEqual([1, 2, 3, 1, 2, 3, 1, 2]);
    const flat = await store.info(keys[3] as string);
    expect(flat).toMatchObject({ parent: keys[2], lower: null });
    for (const [i, k] of keys.entries()) {
      const tree = await store.mountTree(k);
      expect(entries(join(tree.path, 'n'))).toEqual(i === 0 ? ['0'] : [String(i - 1), String(i)].sort());
      expect(readFileSync(join(tree.path, 'counter'), 'utf8')).toBe(String(i));
      await tree.unmount();
    }
    await store.close();
  });

  it('mounts a 150-layer stack from a store with a long path (the option string stays under a page)', async () => {
    const long = join(scratch.fresh('long'), 'x'.repeat(200), 'y'.repeat(200));
    const store = await openStore(long, { maxDepth: 200 });
    const keys = await chain(store, 150, 'd');
    expect((await store.info(keys.at(-1) as string))?.depth).toBe(150);
    const tree = await store.mountTree(keys.at(-1) as string);
    expect(entries(join(tree.path, 'n'))).toEqual(['148', '149']);
    await tree.unmount();
    await store.close();
  });

  it('rejects a maxDepth beyond the kernel limit', async () => {
    await expect(openStore(scratch.fresh('store'), { maxDepth: 501 })).rejects.toMatchObject({ reason: 'usage' });
  });
});

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import { openStore, parseSize } from '../src/index.js';
import { entries, key, scratchDir } from './helpers.js';

const scratch = scratchDir('layout');

describe('package surface', () => {
  it('exports exactly these names', () => {
    expect(Object.keys(api).sort()).toEqual(
      ['CACHEDIR_TAG', 'StoreError', 'fileSystemOf', 'isNoSpace', 'isStoreError', 'noSpaceError', 'openStore', 'parseSize', 'verifyChecksum'].sort(),
    );
  });
});

describe('parseSize', () => {
  it('parses like osbuild', () => {
    expect(parseSize('unlimited')).toBe('unlimited');
    expect(parseSize('0')).toBe(0);
    expect(parseSize('1234')).toBe(1234);
    expect(parseSize('2kB')).toBe(2000);
    expect(parseSize('2 KiB')).toBe(2048);
    expect(parseSize(' 3MB')).toBe(3_000_000);
    expect(parseSize('3MiB')).toBe(3 * 1024 ** 2);
    expect(parseSize('1 GB')).toBe(1e9);
    expect(parseSize('1GiB')).toBe(1024 ** 3);
    expect(parseSize('2TB')).toBe(2e12);
    expect(parseSize('1TiB')).toBe(1024 ** 4);
    for (const bad of ['', 'kB', '1kb', '1 KB', '12 ', '1.5GB', '-1', 'Unlimited', '1 kB ']) {
      expect(() => parseSize(bad), bad).toThrow(/invalid size value/);
    }
  });
});

describe('store directory', () => {
  it('keeps other keys of cache.info and refuses an unknown version', async () => {
    const root = scratch.fresh('store');
    writeFileSync(join(root, 'cache.info'), JSON.stringify({ version: 1, extra: true }));
    const store = await openStore(root, { maximumSize: 1000 });
    expect(await store.maximumSize()).toBe(1000);
    await store.close();
    expect(JSON.parse(readFileSync(join(root, 'cache.info'), 'utf8'))).toEqual({ version: 1, extra: true, 'maximum-size': 1000 });

    const other = scratch.fresh('store');
    writeFileSync(join(other, 'cache.info'), JSON.stringify({ version: 2 }));
    await expect(openStore(other)).rejects.toMatchObject({ code: 'E_STORE', reason: 'layout' });
  });

  it('ignores directories in objects/ that are not complete objects of ours, and builds over debris', async () => {
    const root = scratch.fresh('store');
    // An upstream osbuild object and a half-made directory under a key.
    mkdirSync(join(root, 'objects', key('upstream'), 'data', 'tree'), { recursive: true });
    writeFileSync(join(root, 'objects', key('upstream'), 'object.info'), '{"creation-boot-id": "x", "size": 0}');
    mkdirSync(join(root, 'objects', key('debris'), 'layer'), { recursive: true });
    const store = await openStore(root);
    expect(await store.list()).toEqual([]);
    expect(await store.has(key('upstream'))).toBe(false);
    const prepared = await store.prepareLayer(key('debris'), null);
    expect(prepared.cached).toBe(false);
    if (!prepared.cached) await prepared.commit({ id: 'd', plugins: [] });
    expect(await store.has(key('debris'))).toBe(true);
    await store.close();
    expect(entries(join(root, 'objects'))).toEqual([key('debris'), key('upstream')].sort());
  });
});

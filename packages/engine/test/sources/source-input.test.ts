import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isOsbuildError } from '@osbuild-ts/core';
import { prepareSourceInput } from '../../src/sources/index.js';
import { tempDir } from '../helpers.js';
import { sha256, tempStore } from './helpers.js';

describe('prepareSourceInput', () => {
  it('hard-links each referenced item as <checksum> and returns data.files with each reference\'s metadata', async () => {
    const { store } = await tempStore();
    const one = Buffer.from('one\n');
    const two = Buffer.from('two\n');
    for (const data of [one, two]) await store.sources.add('org.osbuild.files', sha256(data), async (path) => (await import('node:fs/promises')).writeFile(path, data));
    const dir = join(tempDir('source-input-'), 'packages');
    const references = new Map<string | null, import('@osbuild-ts/core').PyJson>([
      [sha256(one), new Map([['metadata', new Map([['rpm.check_gpg', true]])]])],
      [sha256(two), new Map()],
    ]);
    const files = await prepareSourceInput(store, dir, references);
    expect([...files.keys()]).toEqual([sha256(one), sha256(two)]);
    expect(files.get(sha256(one))).toEqual(new Map([['rpm.check_gpg', true]]));
    expect(files.get(sha256(two))).toEqual(new Map());
    expect(readFileSync(join(dir, sha256(one)))).toEqual(one);
    // A hard link (same inode) when on the store's filesystem.
    expect(statSync(join(dir, sha256(two))).ino).toBe(statSync(store.sources.path('org.osbuild.files', sha256(two))).ino);
  });

  it('refuses an item that is not in the cache, naming it', async () => {
    const { store } = await tempStore();
    const missing = sha256('missing');
    const error = await prepareSourceInput(store, tempDir('source-input-'), new Map([[missing, new Map()]])).catch((e: unknown) => e);
    expect(isOsbuildError(error) && error.code).toBe('E_SOURCE_FETCH');
    expect((error as Error).message).toContain(missing);
  });
});

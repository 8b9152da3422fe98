import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, verifyChecksum } from '../src/index.js';
import { entries, scratchDir } from './helpers.js';

const scratch = scratchDir('sources');
const TYPE = 'org.osbuild.files';
const data = Buffer.from('hello, osbuild\n');
const sha256 = `sha256:${createHash('sha256').update(data).digest('hex')}`;

describe('source cache', () => {
  it('adds an item atomically under sources/<content type>/<checksum>, once', async () => {
    const root = scratch.fresh('store');
    const store = await openStore(root);
    expect(await store.sources.has(TYPE, sha256)).toBe(false);
    let writes = 0;
    const write = async (path: string) => {
      writes++;
      writeFileSync(path, data);
    };
    expect(await store.sources.add(TYPE, sha256, write)).toEqual({ path: join(root, 'sources', TYPE, sha256), cached: false });
    expect(await store.sources.add(TYPE, sha256, write)).toMatchObject({ cached: true });
    expect(writes).toBe(1);
    expect(readFileSync(store.sources.path(TYPE, sha256))).toEqual(data);
    expect(entries(join(root, 'sources', TYPE))).toEqual([sha256]);
    await store.close();
  });

  it('rejects bytes that do not match the checksum and keeps nothing', async () => {
    const root = scratch.fresh('store');
    const store = await openStore(root);
    const wrong = `sha256:${'0'.repeat(64)}`;
    await expect(store.sources.add(TYPE, wrong, async (path) => writeFileSync(path, data))).rejects.toMatchObject({
      code: 'E_SOURCE_VERIFY',
      message: expect.stringContaining('checksum mismatch'),
    });
    expect(readdirSync(join(root, 'sources', TYPE))).toEqual([]);
    await expect(store.sources.add(TYPE, '../x', async () => undefined)).rejects.toMatchObject({ reason: 'usage' });
    await store.close();
  });

  it('accepts a caller-supplied verification', async () => {
    const store = await openStore(scratch.fresh('store'));
    const id = 'ostree-commit-0123abcd';
    const verify = async (path: string) => {
      if (readFileSync(path, 'utf8') !== 'ok') throw new Error('bad');
    };
    await expect(store.sources.add('org.osbuild.ostree', id, async (p) => writeFileSync(p, 'no'), { verify })).rejects.toThrow('bad');
    expect(await store.sources.add('org.osbuild.ostree', id, async (p) => writeFileSync(p, 'ok'), { verify })).toMatchObject({ cached: false });
    await store.close();
  });

  it('verifies every supported algorithm', async () => {
    const file = join(scratch.fresh('files'), 'f');
    writeFileSync(file, data);
    for (const algorithm of ['md5', 'sha1', 'sha256', 'sha384', 'sha512']) {
      await verifyChecksum(file, `${algorithm}:${createHash(algorithm).update(data).digest('hex')}`);
    }
    await expect(verifyChecksum(file, 'crc32:00')).rejects.toMatchObject({ reason: 'usage' });
  });
});

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BLOCKWISE_MIN_BYTES } from '../src/content-digest.js';
import { hashFiles, scanLayersWithFind } from '../src/seal.js';
import { openStore, type PreparedLayer } from '../src/index.js';
import { key, scratchDir } from './helpers.js';

const scratch = scratchDir('content-digest');
const MiB = 2 ** 20;
const SIZE = 96 * MiB + 12345; // over the threshold, a partial last block

/** The block form by its definition: every block read and hashed, no hole map. */
function referenceBlocks(path: string): string {
  const bytes = readFileSync(path);
  const outer = createHash('sha256');
  for (let start = 0; start < bytes.length; start += MiB) outer.update(createHash('sha256').update(bytes.subarray(start, start + MiB)).digest());
  return `blocks:${outer.digest('hex')}`;
}

/** A sparse file of SIZE bytes with data at unaligned offsets, across block edges and at the very end. */
function sparseImage(path: string, extra: (fd: number) => void = () => undefined) {
  writeFileSync(path, '');
  execFileSync('truncate', ['-s', String(SIZE), path]);
  const fd = openSync(path, 'r+');
  writeSync(fd, Buffer.from('boot sector'), 0, undefined, 510);
  writeSync(fd, Buffer.alloc(3 * MiB, 0xa5), 0, undefined, 10 * MiB - 1000);
  writeSync(fd, Buffer.from('tail'), 0, undefined, SIZE - 4);
  extra(fd);
  closeSync(fd);
}

async function digestsOf(dir: string, recorded?: Map<string, string>) {
  const entries = (await scanLayersWithFind([dir])).get(dir)!;
  return hashFiles(dir, entries, recorded);
}

describe('content digests of large files', () => {
  it('equal the block form read in full, whether zeros are holes or written, and change with any byte', async () => {
    const dir = scratch.fresh('blocks');
    sparseImage(join(dir, 'sparse.raw'));
    // The same bytes with every zero allocated.
    writeFileSync(join(dir, 'dense.raw'), readFileSync(join(dir, 'sparse.raw')));
    expect(statSync(join(dir, 'sparse.raw')).blocks * 512).toBeLessThan(8 * MiB);
    sparseImage(join(dir, 'in-hole.raw'), (fd) => writeSync(fd, Buffer.from([1]), 0, 1, 50 * MiB + 7));
    sparseImage(join(dir, 'in-data.raw'), (fd) => writeSync(fd, Buffer.from([0x5a]), 0, 1, 11 * MiB));
    writeFileSync(join(dir, 'small'), 'small file\n');

    const digests = await digestsOf(dir);
    const reference = referenceBlocks(join(dir, 'sparse.raw'));
    expect(digests.get('sparse.raw')).toBe(reference);
    expect(digests.get('dense.raw')).toBe(reference);
    expect(digests.get('in-hole.raw')).toBe(referenceBlocks(join(dir, 'in-hole.raw')));
    expect(digests.get('in-hole.raw')).not.toBe(reference);
    expect(digests.get('in-data.raw')).toBe(referenceBlocks(join(dir, 'in-data.raw')));
    expect(digests.get('in-data.raw')).not.toBe(reference);
    expect(digests.get('small')).toBe(createHash('sha256').update('small file\n').digest('hex'));
  });

  it('are the same without xfs_io (every block read), and keep the plain sha256 a manifest recorded', async () => {
    const dir = scratch.fresh('fallback');
    sparseImage(join(dir, 'disk.raw'));
    const withMap = await digestsOf(dir);
    const entries = (await scanLayersWithFind([dir])).get(dir)!;
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    let withoutMap;
    try {
      withoutMap = await hashFiles(dir, entries);
    } finally {
      process.env.PATH = path;
    }
    expect(withoutMap).toEqual(withMap);

    const plain = createHash('sha256').update(readFileSync(join(dir, 'disk.raw'))).digest('hex');
    expect((await digestsOf(dir, new Map([['disk.raw', plain]]))).get('disk.raw')).toBe(plain);
    expect(SIZE).toBeGreaterThan(BLOCKWISE_MIN_BYTES);
  });

  it('a committed layer holding a sparse image verifies, and a byte changed in a hole is found', async () => {
    const store = await openStore(scratch.fresh('store'));
    try {
      const prepared = (await store.prepareLayer(key('img'), null)) as PreparedLayer;
      sparseImage(join(prepared.treePath, 'disk.raw'));
      await prepared.commit({ id: 'img', plugins: [] });
      expect((await store.verify()).map((r) => r.status)).toEqual(['ok']);
      const layer = await store.layer(key('img'));
      // A byte changed where the image had a hole, its mtime set back: only the content differs.
      const file = join(layer.dir, 'disk.raw');
      const mtime = statSync(file, { bigint: true }).mtimeNs;
      const fd = openSync(file, 'r+');
      writeSync(fd, Buffer.from([7]), 0, 1, 60 * MiB);
      closeSync(fd);
      execFileSync('touch', ['-m', '-d', `@${mtime / 10n ** 9n}.${String(mtime % 10n ** 9n).padStart(9, '0')}`, file]);
      const [report] = await store.verify();
      expect(report!.status).toBe('damaged');
      expect(report!.problems.join('\n')).toContain('/disk.raw: content changed');
    } finally {
      await store.close();
    }
  });
});

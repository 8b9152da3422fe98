// Committing a layer turns zero-filled blocks of large files into holes:
// same bytes, same mode/size/times, fewer blocks.
import { createHash, randomBytes, randomFillSync } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { closeSync, linkSync, lstatSync, mkdirSync, openSync, readFileSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sealLayer } from '../src/integrity.js';
import { digestOf, hashFiles, manifestOf, maxMtimeOf, scanLayersWithFind, sealOf, serializeManifest } from '../src/seal.js';
import { sparsifyLayer, zeroRuns } from '../src/sparsify.js';
import { scratchDir } from './helpers.js';

const scratch = scratchDir('sparsify');
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('sealLayer on a layer with a large, zero-filled file', () => {
  it('digs holes without changing content, size or times, and seals what is left', async () => {
    const dir = scratch.fresh('layer');
    const image = join(dir, 'disk.raw');
    const data = Buffer.alloc(32 * 2 ** 20); // allocated zeros…
    data.fill(7, 5 * 2 ** 20, 5 * 2 ** 20 + 4096); // …and one block of data
    writeFileSync(image, data);
    // What a loop device makes of a write-zeroes request (mke2fs's journal): an unwritten extent.
    execFileSync('fallocate', ['--zero-range', '--offset', String(8 * 2 ** 20), '--length', String(8 * 2 ** 20), image]);
    writeFileSync(join(dir, 'small'), Buffer.alloc(8192)); // below the threshold: left alone
    const digest = sha(image); // read before the times are set: reading moves the atime
    execFileSync('touch', ['-m', '-d', '@1700000000.123456789', image]);
    execFileSync('touch', ['-a', '-d', '@1600000000.987654321', image]);
    const before = lstatSync(image, { bigint: true });
    const smallBlocks = lstatSync(join(dir, 'small')).blocks;

    const sealed = await sealLayer(dir);

    const after = lstatSync(image, { bigint: true });
    expect(after.size).toBe(before.size);
    expect(after.mtimeNs).toBe(1_700_000_000_123_456_789n);
    expect(after.atimeNs).toBe(1_600_000_000_987_654_321n);
    expect(after.mode).toBe(before.mode);
    expect(Number(after.blocks) * 512).toBeLessThan(2 ** 20);
    expect(lstatSync(join(dir, 'small')).blocks).toBe(smallBlocks);
    expect(sha(image)).toBe(digest);
    // The seal is of the layer as it is now (find agrees), and its size is what du says.
    expect(sealed.seal).toBe(sealOf((await scanLayersWithFind([dir])).get(dir)!));
    expect(sealed.bytes).toBe(Number(execFileSync('du', ['-s', '-x', '-B1', dir], { encoding: 'utf8' }).split('\t')[0]));
  });
});

/** Bytes of the file in the page cache (util-linux fincore). */
const resident = (file: string) => Number(execFileSync('fincore', ['--bytes', '--noheadings', '--output', 'RES', file], { encoding: 'utf8' }).trim());

describe('zeroRuns', () => {
  it('finds the whole zero blocks of the data regions, merged, and nothing that holds a byte', async () => {
    const dir = scratch.fresh('runs');
    const file = join(dir, 'f');
    const data = Buffer.alloc(3 * 2 ** 20 + 8192, 1);
    data.fill(0, 4096, 3 * 4096); // two zero blocks, one run
    data.fill(0, 2 ** 20 - 4096, 2 ** 20 + 2 * 4096); // a run across a 1 MiB read
    data.fill(0, 2 * 2 ** 20, 3 * 2 ** 20); // a whole zero MiB…
    data[2 * 2 ** 20 + 100] = 9; // …but for one byte: its block is kept
    data.fill(0, 3 * 2 ** 20 + 4096); // the last block
    writeFileSync(file, data);
    // A hole of 4 MiB after the data: not a data region, not reported (already a hole).
    execFileSync('truncate', ['-s', String(8 * 2 ** 20), file]);
    const runs = await zeroRuns(file, 8 * 2 ** 20, 4096);
    expect(runs).toEqual([
      [4096, 2 * 4096],
      [2 ** 20 - 4096, 3 * 4096],
      [2 * 2 ** 20 + 4096, 2 ** 20 - 4096],
      [3 * 2 ** 20 + 4096, 4096],
    ]);
  });

  it('leaves the image in the page cache (fallocate --dig-holes drops what it read)', async () => {
    const dir = scratch.fresh('cached');
    const image = join(dir, 'disk.raw');
    const data = randomFillSync(Buffer.alloc(128 * 2 ** 20));
    data.fill(0, 126 * 2 ** 20); // the last 2 MiB
    // Written 64 KiB at a time, as a loop device writes its image: one
    // write of it all gets large folios, which a ranged POSIX_FADV_DONTNEED
    // leaves, and --dig-holes would then drop nothing.
    const fd = openSync(image, 'w');
    for (let offset = 0; offset < data.length; offset += 65536) writeSync(fd, data, offset, 65536, offset);
    closeSync(fd);
    const digest = sha(image);
    // Written back, as a loop device's image is once the device is released:
    // clean pages are what POSIX_FADV_DONTNEED drops.
    execFileSync('sync', [image]);
    expect(resident(image)).toBe(128 * 2 ** 20);
    // sparsifyLayer alone: sealLayer's digest reads the file afterwards.
    expect((await sparsifyLayer(dir, (await scanLayersWithFind([dir])).get(dir)!)).map((changed) => changed.path)).toEqual(['disk.raw']);
    // What is left of the file (the zeros are holes now) is still cached.
    expect(resident(image)).toBeGreaterThanOrEqual(126 * 2 ** 20);
    expect(Number(lstatSync(image).blocks) * 512).toBeLessThan(127 * 2 ** 20);
    expect(sha(image)).toBe(digest);
  });

  it('keeps data still dirty in the page cache over an extent allocated unwritten (as a loop device leaves its image)', async () => {
    const dir = scratch.fresh('dirty');
    const image = join(dir, 'disk.raw');
    writeFileSync(image, '');
    // mke2fs through a loop device zeroes ranges with fallocate(ZERO_RANGE): unwritten extents…
    execFileSync('fallocate', ['--zero-range', '--offset', '0', '--length', String(32 * 2 ** 20), image]);
    // …into which the file system then writes, and the pages stay dirty until written back.
    const data = randomFillSync(Buffer.alloc(2 ** 20));
    const fd = openSync(image, 'r+');
    writeSync(fd, data, 0, data.length, 8 * 2 ** 20);
    closeSync(fd);
    const digest = sha(image);
    await sealLayer(dir);
    expect(sha(image)).toBe(digest);
    expect(readFileSync(image).subarray(8 * 2 ** 20, 9 * 2 ** 20).equals(data)).toBe(true);
  });

  it('falls back to fallocate --dig-holes without xfs_io, with the same result', async () => {
    const dir = scratch.fresh('no-xfs-io');
    const image = join(dir, 'disk.raw');
    const data = Buffer.alloc(32 * 2 ** 20, 5);
    data.fill(0, 2 ** 20, 3 * 2 ** 20);
    writeFileSync(image, data);
    const digest = sha(image);
    const path = process.env['PATH'];
    process.env['PATH'] = '/usr/bin:/bin'; // xfs_io is in /usr/sbin
    try {
      expect(await zeroRuns(image, 32 * 2 ** 20, 4096)).toBeNull();
      await sealLayer(dir);
    } finally {
      process.env['PATH'] = path;
    }
    expect(sha(image)).toBe(digest);
    expect(Number(lstatSync(image).blocks) * 512).toBeLessThan(31 * 2 ** 20);
  });
});

describe('sealLayer walks the layer once, also when it digs holes', () => {
  // A layer with what a second walk would see differently if the first
  // were patched wrongly: a file that gains holes, a dense large file
  // (fallocate finds nothing: left as it was), a large file with two links
  // (never sparsified), xattrs, a symlink, small files and directories.
  function layer(): string {
    const dir = scratch.fresh('once');
    mkdirSync(join(dir, 'boot'));
    mkdirSync(join(dir, 'var/lib'), { recursive: true });
    const sparse = Buffer.alloc(20 * 2 ** 20);
    sparse.fill(3, 2 ** 20, 2 ** 20 + 8192);
    writeFileSync(join(dir, 'var/lib/disk.img'), sparse);
    writeFileSync(join(dir, 'boot/initrd'), randomBytes(17 * 2 ** 20));
    // As tar leaves it: an old mtime, so reading it does not move the atime (relatime).
    execFileSync('touch', ['-m', '-d', '@1700000000.5', join(dir, 'boot/initrd')]);
    writeFileSync(join(dir, 'var/lib/linked'), Buffer.alloc(18 * 2 ** 20, 0));
    linkSync(join(dir, 'var/lib/linked'), join(dir, 'boot/linked-too'));
    writeFileSync(join(dir, 'boot/config'), 'CONFIG_X=y\n');
    execFileSync('setfattr', ['-n', 'user.tag', '-v', 'kept', join(dir, 'var/lib/disk.img')]);
    symlinkSync('var/lib/disk.img', join(dir, 'disk'));
    return dir;
  }
  const du = (dir: string) => Number(execFileSync('du', ['-s', '-x', '-B1', dir], { encoding: 'utf8' }).split('\t')[0]);
  const fresh = async (dir: string) => {
    const entries = (await scanLayersWithFind([dir])).get(dir)!;
    const manifest = serializeManifest(manifestOf(entries, await hashFiles(dir, entries)));
    return { seal: sealOf(entries), manifest: digestOf(manifest), manifestText: manifest, bytes: du(dir), maxMtime: maxMtimeOf(entries), entries: entries.length };
  };

  it('lists only the files it changed', async () => {
    const dir = layer();
    const entries = (await scanLayersWithFind([dir])).get(dir)!;
    const changed = await sparsifyLayer(dir, entries);
    expect(changed.map((c) => c.path)).toEqual(['var/lib/disk.img']);
    expect(changed[0]!.after.blocks).toBeLessThan(changed[0]!.before.blocks);
  });

  it.each([
    ['walked here', Number.POSITIVE_INFINITY],
    ['walked by find', 0],
  ])('gives the seal, manifest and size of a second full walk (%s)', async (_, walkLimit) => {
    const dir = layer();
    const sealed = await sealLayer(dir, { walkLimit });
    // The image did get holes: the one walk saw the layer change under it.
    expect(lstatSync(join(dir, 'var/lib/disk.img')).blocks * 512).toBeLessThan(2 ** 20);
    expect(execFileSync('getfattr', ['--only-values', '-n', 'user.tag', join(dir, 'var/lib/disk.img')], { encoding: 'utf8' })).toBe('kept');
    const again = await fresh(dir);
    // Measured by the walk here; after find, commit asks du (sealed.bytes undefined).
    expect(sealed).toEqual(walkLimit === 0 ? { ...again, bytes: undefined } : again);
  });
});

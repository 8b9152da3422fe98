// Committing a layer turns zero-filled blocks of large files into holes:
// same bytes, same mode/size/times, fewer blocks.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { lstatSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sealLayer } from '../src/integrity.js';
import { scanLayersWithFind, sealOf } from '../src/seal.js';
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

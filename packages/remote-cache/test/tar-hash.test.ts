/**
 * The file hashes taken from the tar stream during a pull are the ones the
 * extracted files have: packLayer's real GNU tar archive, unpacked by
 * unpackLayer (real zstd and tar), compared with reading the files back.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, linkSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packLayer, unpackLayer } from '../src/pack.js';
import { memberPath } from '../src/tar-hash.js';
import { temp } from './helpers.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function regularFiles(dir: string): Map<string, string> {
  const out = execFileSync('find', [dir, '-type', 'f', '-printf', '%P\\0'], { encoding: 'utf8' });
  return new Map(out.split('\0').filter((p) => p !== '').map((p) => [p, createHash('sha256').update(readFileSync(join(dir, p))).digest('hex')]));
}

describe('hashing files from the archive while it is extracted', () => {
  it('gives every regular file (long names, hard links, empty and multi-block files) the hash of its content on disk', async () => {
    const work = temp('osbuild-tar-hash-');
    dirs.push(work);
    const src = join(work, 'src');
    const deep = join(src, 'a'.repeat(90), 'b'.repeat(90), 'c'.repeat(40));
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(deep, `${'long-name-'.repeat(12)}.txt`), 'a file whose path needs a pax record\n');
    writeFileSync(join(src, 'empty'), '');
    writeFileSync(join(src, 'ünïcode näme'), 'utf-8 path\n');
    const big = Buffer.alloc(3 * 2 ** 20 + 123);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7919) % 251;
    writeFileSync(join(src, 'big'), big);
    linkSync(join(src, 'big'), join(src, 'big-hardlink'));
    symlinkSync('big', join(src, 'symlink'));
    mkdirSync(join(src, 'dir'));
    writeFileSync(join(src, 'dir', 'exactly-512'), Buffer.alloc(512, 1));
    execFileSync('setfattr', ['-n', 'user.note', '-v', 'an xattr makes a pax header', join(src, 'dir', 'exactly-512')]);

    const blob = join(work, 'layer.tar.zst');
    const packed = await packLayer(src, blob);
    const out = join(work, 'out');
    mkdirSync(out);
    const unpacked = await unpackLayer(createReadStream(blob), out, packed.digest);

    expect(unpacked.bytes).toBe(packed.size);
    const onDisk = regularFiles(out);
    expect(onDisk.size).toBe(6);
    expect(new Map([...unpacked.hashes].sort())).toEqual(new Map([...onDisk].sort()));
  });

  it('a sparse disk image travels as holes: it unpacks with its holes, the same bytes, and is left to the import to hash', async () => {
    const work = temp('osbuild-tar-sparse-');
    dirs.push(work);
    const src = join(work, 'src');
    mkdirSync(src);
    const image = join(src, 'disk.raw');
    execFileSync('truncate', ['-s', String(256 * 2 ** 20), image]);
    execFileSync('sh', ['-c', `printf 'boot sector' | dd of="$1" bs=1 seek=510 conv=notrunc status=none && head -c 3000000 /dev/urandom | dd of="$1" bs=1M seek=100 conv=notrunc status=none`, 'sh', image]);
    writeFileSync(join(src, 'small'), 'small\n');

    const blob = join(work, 'layer.tar.zst');
    const packed = await packLayer(src, blob);
    const out = join(work, 'out');
    mkdirSync(out);
    const unpacked = await unpackLayer(createReadStream(blob), out, packed.digest);

    const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
    expect(sha(join(out, 'disk.raw'))).toBe(sha(image));
    expect(statSync(join(out, 'disk.raw')).size).toBe(256 * 2 ** 20);
    expect(statSync(join(out, 'disk.raw')).blocks * 512).toBeLessThan(16 * 2 ** 20);
    expect(unpacked.hashes.has('disk.raw')).toBe(false);
    expect(unpacked.hashes.get('small')).toBe(sha(join(out, 'small')));
  });

  it('names members as the store manifest does', () => {
    expect(memberPath('./')).toBe('');
    expect(memberPath('.')).toBe('');
    expect(memberPath('./usr/bin/')).toBe('usr/bin');
    expect(memberPath('./usr/bin/x')).toBe('usr/bin/x');
    expect(memberPath('/etc/hosts')).toBe('etc/hosts');
  });
});

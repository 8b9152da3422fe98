// The in-process walk must give exactly what `find` gives (seals made by one
// are checked by the other, and stores made before it still verify), and
// the size `du` gives.
import { execFileSync } from 'node:child_process';
import { chmodSync, linkSync, mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanLayersHere, sealLayerHere } from '../src/scan-here.js';
import { scanLayersWithFind, sealLayerSorted, sealOf } from '../src/seal.js';
import { isStoreError } from '../src/index.js';
import { scratchDir } from './helpers.js';

const scratch = scratchDir('scan-here');

function oddTree(root: string): void {
  mkdirSync(join(root, 'etc/deep/er'), { recursive: true });
  writeFileSync(join(root, 'etc/hostname'), 'h\n');
  writeFileSync(join(root, 'etc/deep/er/big'), Buffer.alloc(70_000, 1));
  linkSync(join(root, 'etc/deep/er/big'), join(root, 'hardlink'));
  symlinkSync('etc/hostname', join(root, 'link'));
  symlinkSync('/nowhere/at/all', join(root, 'dangling'));
  writeFileSync(join(root, 'setuid'), '');
  chmodSync(join(root, 'setuid'), 0o4755);
  writeFileSync(join(root, 'none'), '');
  chmodSync(join(root, 'none'), 0);
  mkdirSync(join(root, 'sticky'));
  chmodSync(join(root, 'sticky'), 0o1777);
  writeFileSync(join(root, 'before-1970'), 'x');
  utimesSync(join(root, 'before-1970'), -5.25, -0.25);
  writeFileSync(join(root, 'fraction'), 'x');
  utimesSync(join(root, 'fraction'), 1_700_000_000.000_000_1, 1_700_000_000.5);
  writeFileSync(join(root, 'blank name é'), 'x');
  execFileSync('mkfifo', [join(root, 'fifo')]);
  execFileSync('mknod', [join(root, 'null'), 'c', '1', '3']);
  execFileSync('chown', ['-h', '1234:5678', join(root, 'link')]);
}

/** Names whose sort by path is not a sort by name per directory ('-' and '.' sort before '/'). */
function orderTree(root: string): void {
  for (const dir of ['a', 'a/b', 'a-b', 'a.b/c', 'a0', 'b c/d', 'z/y/x']) mkdirSync(join(root, dir), { recursive: true });
  for (const file of ['a/b/f', 'a/b-', 'a/b.', 'a/b0', 'a-', 'a-b/g', 'a.b/c/h', 'a0/i', 'A', '_', 'b c/d/e', 'z/y/x/w', 'z/y-', 'ü', 'line\nbreak']) {
    writeFileSync(join(root, file), file);
  }
}

const sealFound = async (dir: string) => sealOf((await scanLayersWithFind([dir])).get(dir)!);

const du = (dir: string) => Number(execFileSync('du', ['-s', '-x', '-B1', '--', dir], { encoding: 'utf8' }).split('\t')[0]);

describe('scanLayersHere', () => {
  it('gives the entries (and so the seal) find gives, and the size du gives', async () => {
    const a = scratch.fresh('a');
    const b = scratch.fresh('b');
    oddTree(a);
    writeFileSync(join(b, 'only'), 'y');
    const here = scanLayersHere([a, b])!;
    const found = await scanLayersWithFind([a, b]);
    for (const dir of [a, b]) {
      expect(here.entries.get(dir)).toEqual(found.get(dir));
      expect(sealOf(here.entries.get(dir)!)).toBe(sealOf(found.get(dir)!));
      expect(here.bytes.get(dir)).toBe(du(dir));
    }
  });

  it('leaves trees above its limit, and names that may not be UTF-8, to find', () => {
    const dir = scratch.fresh('many');
    for (let i = 0; i < 20; i++) writeFileSync(join(dir, `f${i}`), '');
    expect(scanLayersHere([dir], 10)).toBeNull();
    expect(scanLayersHere([dir], 100)).not.toBeNull();
    const odd = scratch.fresh('odd');
    writeFileSync(Buffer.from(`${odd}/bad-\xff-name`, 'latin1'), '');
    expect(scanLayersHere([odd])).toBeNull();
  });

  it('the streamed seals (a walk in seal order here, find | sort for large layers) are the seal', async () => {
    const odd = scratch.fresh('stream-odd');
    oddTree(odd);
    const order = scratch.fresh('stream-order');
    orderTree(order);
    for (const dir of [odd, order]) {
      const seal = await sealFound(dir);
      expect(sealLayerHere(dir)).toBe(seal);
      expect(await sealLayerSorted(dir)).toBe(seal);
    }
    expect(sealLayerHere(order, 5)).toBeNull();
    // A name that may not be UTF-8: left to find here; the sorted stream hashes its raw bytes, so it differs (checkStack then compares a full scan).
    const bad = scratch.fresh('stream-bad');
    writeFileSync(Buffer.from(`${bad}/bad-\xff-name`, 'latin1'), '');
    expect(sealLayerHere(bad)).toBeNull();
    expect(await sealLayerSorted(bad)).not.toBe(await sealFound(bad));
    await expect(sealLayerSorted(join(scratch.base, 'gone'))).rejects.toSatisfy((error: unknown) => isStoreError(error, 'damaged'));
  });

  it('names a layer directory that is gone, as find does', () => {
    let error: unknown;
    try {
      scanLayersHere([join(scratch.base, 'gone')]);
    } catch (caught) {
      error = caught;
    }
    expect(isStoreError(error, 'damaged')).toBe(true);
  });
});

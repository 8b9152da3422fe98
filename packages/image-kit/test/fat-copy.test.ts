import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFat, missingParents, mtoolsEnv, planFat, treeToFatEntries, writeFat, type FatEntry, type FatListing } from '../src/index.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync('/var/tmp/osbuild-ts-image-kit-fat-');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fatImage(name: string): string {
  const path = join(dir, name);
  execFileSync('mkfs.fat', ['-C', '--invariant', '-i', '12345678', path, String(16 * 1024)], { stdio: 'ignore' });
  return path;
}

const dirEntry = (path: string, mtime = 1000): FatEntry => ({ path, kind: 'dir', mtime });
const fileEntry = (path: string, source = '/dev/null', mtime = 1000): FatEntry => ({ path, kind: 'file', source, mtime });

describe('planFat', () => {
  const none: FatListing = new Map();
  it('groups new directories (shallow first) and files by their directory', () => {
    const plan = planFat([dirEntry('EFI'), dirEntry('EFI/BOOT'), fileEntry('EFI/BOOT/BOOTX64.EFI'), fileEntry('top.txt'), dirEntry('EFI/debian'), fileEntry('EFI/debian/grub.cfg')], none, 'x');
    expect([...plan.dirs].map(([parent, dirs]) => [parent, dirs.map((d) => d.path)])).toEqual([
      ['', ['EFI']],
      ['EFI', ['EFI/BOOT', 'EFI/debian']],
    ]);
    expect([...plan.files].map(([parent, files]) => [parent, files.map((f) => f.path)])).toEqual([
      ['EFI/BOOT', ['EFI/BOOT/BOOTX64.EFI']],
      ['', ['top.txt']],
      ['EFI/debian', ['EFI/debian/grub.cfg']],
    ]);
  });

  it('keeps directories that are there (in any case), replaces files, refuses a file where a directory is', () => {
    const existing: FatListing = new Map([
      ['EFI', { path: 'EFI', dir: true }],
      ['EFI/GRUB.CFG', { path: 'EFI/GRUB.CFG', dir: false }],
    ]);
    const plan = planFat([dirEntry('efi'), fileEntry('efi/grub.cfg')], existing, 'x');
    expect(plan.dirs.size).toBe(0);
    expect(plan.files.get('efi')?.map((f) => f.path)).toEqual(['efi/grub.cfg']);
    expect(() => planFat([fileEntry('EFI')], existing, 'item')).toThrow('item: cannot put a file at /EFI: the FAT file system has a directory /EFI');
    expect(() => planFat([dirEntry('EFI/grub.cfg')], existing, 'item')).toThrow('item: cannot put a directory at /EFI/grub.cfg: the FAT file system has a file /EFI/GRUB.CFG');
  });

  it('refuses names FAT cannot tell apart, and a missing parent', () => {
    expect(() => planFat([fileEntry('a.txt'), fileEntry('A.TXT')], none, 'item')).toThrow('item: a.txt and A.TXT are one name on FAT, which ignores case');
    expect(() => planFat([dirEntry('a'), fileEntry('a')], none, 'item')).toThrow('item: a is both a directory and a file');
    expect(() => planFat([fileEntry('EFI/BOOT/x')], none, 'item')).toThrow('item: no directory /EFI/BOOT on the FAT file system to put /EFI/BOOT/x in');
    expect(missingParents([fileEntry('EFI/BOOT/x'), dirEntry('EFI')], () => false, 5)).toEqual([dirEntry('EFI/BOOT', 5)]);
  });
});

describe('writeFat and listFat, on a FAT image file', () => {
  it('lists an empty file system as empty, and what is written, directories with a slash', () => {
    const image = fatImage('list.img');
    expect(listFat(image, mtoolsEnv(null))).toEqual(new Map());
    const source = join(dir, 'src');
    mkdirSync(join(source, 'EFI/BOOT'), { recursive: true });
    writeFileSync(join(source, 'EFI/BOOT/BOOTX64.EFI'), 'loader');
    writeFileSync(join(source, 'Long Name.txt'), 'long');
    for (const p of ['EFI/BOOT/BOOTX64.EFI', 'Long Name.txt', 'EFI/BOOT', 'EFI']) utimesSync(join(source, p), 1_600_000_000, 1_600_000_000);
    const scratch = join(dir, 'scratch');
    writeFat({ image, entries: treeToFatEntries(source, { epoch: null, display: 'src' }), scratch, epoch: null, display: 'src' });
    expect(listFat(image, mtoolsEnv(null))).toEqual(
      new Map([
        ['EFI', { path: 'EFI', dir: true }],
        ['EFI/BOOT', { path: 'EFI/BOOT', dir: true }],
        ['EFI/BOOT/BOOTX64.EFI', { path: 'EFI/BOOT/BOOTX64.EFI', dir: false }],
        ['LONG NAME.TXT', { path: 'Long Name.txt', dir: false }],
      ]),
    );
  });

  it('gives files another name or a clamped time through scratch copies, never touching the source', () => {
    const image = fatImage('names.img');
    const source = join(dir, 'loader.efi');
    writeFileSync(source, 'grub');
    utimesSync(source, 2_000_000_000, 2_000_000_000);
    const scratch = join(dir, 'scratch-names');
    writeFat({ image, entries: [dirEntry('EFI', 1_500_000_000), fileEntry('EFI/BOOTX64.EFI', source, 1_700_000_000)], scratch, epoch: 1_700_000_000, display: 'loader' });
    expect(statSync(source).mtimeMs).toBe(2_000_000_000_000);
    const out = join(dir, 'out-names');
    mkdirSync(out);
    execFileSync('mcopy', ['-s', '-m', '-n', '-i', image, '::/EFI', out], { env: { ...process.env, ...mtoolsEnv(null) } });
    expect(readFileSync(join(out, 'EFI/BOOTX64.EFI'), 'utf8')).toBe('grub');
    expect(statSync(join(out, 'EFI/BOOTX64.EFI')).mtimeMs).toBe(1_700_000_000_000);
    expect(statSync(join(out, 'EFI')).mtimeMs).toBe(1_500_000_000_000);
  });

  it('refuses what FAT cannot hold, naming it', () => {
    const source = join(dir, 'special');
    mkdirSync(source);
    execFileSync('mkfifo', [join(source, 'fifo')]);
    expect(() => treeToFatEntries(source, { epoch: null, display: '/boot/efi' })).toThrow('/boot/efi/fifo: FAT cannot hold fifos');
  });
});

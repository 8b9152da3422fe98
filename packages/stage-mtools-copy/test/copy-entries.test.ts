import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FatListing } from '@osbuild-ts/image-kit';
import { copyEntries, normalFatPath } from '../src/copy-entries.js';

let root: string;
const none: FatListing = new Map();
const withEfi: FatListing = new Map([['EFI', { path: 'EFI', dir: true }]]);

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'copy-entries-'));
  mkdirSync(join(root, 'esp/EFI/debian'), { recursive: true });
  writeFileSync(join(root, 'esp/EFI/debian/grub.cfg'), '');
  writeFileSync(join(root, 'file.efi'), '');
  for (const p of ['esp/EFI/debian/grub.cfg', 'esp/EFI/debian', 'esp/EFI', 'esp', 'file.efi']) utimesSync(join(root, p), 1000, 1000);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const paths = (entries: { path: string; kind: string }[]) => entries.map((e) => `${e.kind} ${e.path}`);

describe('copyEntries (cp -a rules on FAT)', () => {
  it('copies the contents for a trailing slash, making `to` when missing', () => {
    expect(paths(copyEntries({ from: 'input://t/esp/', source: join(root, 'esp'), to: '/' }, none, null))).toEqual(['dir EFI', 'dir EFI/debian', 'file EFI/debian/grub.cfg']);
    expect(paths(copyEntries({ from: 'input://t/esp/', source: join(root, 'esp'), to: '/sub' }, none, null))).toEqual(['dir sub', 'dir sub/EFI', 'dir sub/EFI/debian', 'file sub/EFI/debian/grub.cfg']);
  });

  it('puts the item itself into `to` when it ends in / or is a directory there, else at `to`', () => {
    expect(paths(copyEntries({ from: 'input://t/file.efi', source: join(root, 'file.efi'), to: '/EFI/' }, none, null))).toEqual(['file EFI/file.efi']);
    expect(paths(copyEntries({ from: 'input://t/file.efi', source: join(root, 'file.efi'), to: '/efi' }, withEfi, null))).toEqual(['file efi/file.efi']);
    expect(paths(copyEntries({ from: 'input://t/file.efi', source: join(root, 'file.efi'), to: '/EFI/BOOT/BOOTX64.EFI' }, withEfi, null))).toEqual(['file EFI/BOOT/BOOTX64.EFI']);
    expect(paths(copyEntries({ from: 'input://t/esp', source: join(root, 'esp'), to: '/' }, none, null))).toEqual(['dir esp', 'dir esp/EFI', 'dir esp/EFI/debian', 'file esp/EFI/debian/grub.cfg']);
  });

  it('clamps times to the source epoch', () => {
    const [entry] = copyEntries({ from: 'input://t/file.efi', source: join(root, 'file.efi'), to: '/x.efi' }, none, 500);
    expect(entry?.mtime).toBe(500);
    expect(copyEntries({ from: 'input://t/file.efi', source: join(root, 'file.efi'), to: '/x.efi' }, none, 2000)[0]?.mtime).toBe(1000);
  });

  it('refuses missing sources and a trailing slash on a file; keeps .. at the root', () => {
    expect(() => copyEntries({ from: 'input://t/nope', source: join(root, 'nope'), to: '/' }, none, null)).toThrow('input://t/nope: no such file or directory');
    expect(() => copyEntries({ from: 'input://t/file.efi/', source: join(root, 'file.efi'), to: '/' }, none, null)).toThrow('input://t/file.efi/: ends in / but is not a directory');
    expect(normalFatPath('/../x')).toBe('x');
    expect(normalFatPath('//EFI//BOOT/')).toBe('EFI/BOOT');
  });
});

import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { coreImageArguments, coreImageModules, efiPlatformForMachine, findGrubMkimage, partitionPrefix, requireTools } from '../src/index.js';

describe('grub core images', () => {
  it("chooses upstream's modules: disk access on i386-pc, the partition table, the prefix's file system", () => {
    expect(coreImageModules({ platform: 'i386-pc', partlabel: 'gpt', filesystem: 'xfs' })).toEqual({ format: 'i386-pc', modules: ['biosdisk', 'part_gpt', 'xfs'] });
    expect(coreImageModules({ platform: 'i386-pc', partlabel: 'mbr', filesystem: 'ext4' })).toEqual({ format: 'i386-pc', modules: ['biosdisk', 'part_msdos', 'ext2'] });
    expect(coreImageModules({ platform: 'powerpc-ieee1275', partlabel: 'dos', filesystem: 'btrfs' })).toEqual({ format: 'powerpc-ieee1275', modules: ['part_msdos', 'btrfs'] });
    expect(coreImageModules({ platform: 'i386-pc', partlabel: 'gpt', filesystem: 'iso9660' })).toEqual({ format: 'i386-pc-eltorito', modules: ['biosdisk', 'part_gpt', 'iso9660'] });
    expect(() => coreImageModules({ platform: 'i386-pc', partlabel: 'gpt', filesystem: 'zfs' })).toThrow("unknown boot filesystem type: 'zfs'");
    expect(() => coreImageModules({ platform: 'i386-pc', partlabel: 'sun' as never, filesystem: 'ext4' })).toThrow('unknown partition table label "sun"');
  });

  it('builds the grub-mkimage command line', () => {
    expect(coreImageArguments({ platform: 'i386-pc', partlabel: 'gpt', filesystem: 'ext4', prefix: '(,gpt3)/boot/grub2' }, '/w/core.img')).toEqual([
      '--directory', '/usr/lib/grub/i386-pc', '--prefix', '(,gpt3)/boot/grub2', '--format', 'i386-pc', '--compression', 'auto', '--output', '/w/core.img', 'biosdisk', 'part_gpt', 'ext2',
    ]);
  });

  it('names partitions as grub does', () => {
    expect(partitionPrefix('gpt', 2, '/boot/grub2')).toBe('(,gpt3)/boot/grub2');
    expect(partitionPrefix('dos', 0, 'grub')).toBe('(,msdos1)/grub');
    expect(() => partitionPrefix('gpt', -1, '/')).toThrow('partition number -1 must be a whole number, 0 or more');
  });

  it('knows each machine\'s EFI platform', () => {
    expect(efiPlatformForMachine('x64')).toBe('x86_64-efi');
    expect(efiPlatformForMachine('arm64')).toBe('arm64-efi');
    expect(efiPlatformForMachine('s390x')).toBeNull();
  });
});

describe('finding tools', () => {
  const savedPath = process.env['PATH'];
  let dir: string;
  afterEach(() => {
    process.env['PATH'] = savedPath;
    rmSync(dir, { recursive: true, force: true });
  });
  function pathWith(...names: string[]): string {
    dir = mkdtempSync(join(tmpdir(), 'find-'));
    for (const name of names) {
      writeFileSync(join(dir, name), '#!/bin/sh\n');
      chmodSync(join(dir, name), 0o755);
    }
    process.env['PATH'] = dir;
    return dir;
  }

  it('finds either grub-mkimage; a named one stands in for the other with a note', () => {
    const bin = pathWith('grub-mkimage');
    expect(findGrubMkimage()).toEqual({ path: join(bin, 'grub-mkimage') });
    expect(findGrubMkimage('grub2-mkimage')).toEqual({ path: join(bin, 'grub-mkimage'), note: 'grub2-mkimage is not in the build root; using grub-mkimage' });
    expect(findGrubMkimage(join(bin, 'grub-mkimage'))).toEqual({ path: join(bin, 'grub-mkimage') });
    expect(() => findGrubMkimage('custom-mkimage')).toThrow('custom-mkimage is not in the build root');
    symlinkSync(join(bin, 'grub-mkimage'), join(bin, 'custom-mkimage'));
    expect(findGrubMkimage('custom-mkimage')).toEqual({ path: join(bin, 'custom-mkimage') });
  });

  it('names every missing tool with its package at once', () => {
    pathWith('sfdisk');
    expect(() => requireTools([{ command: 'sfdisk', package: 'fdisk' }])).not.toThrow();
    expect(() => requireTools([{ command: 'grub2-mkimage|grub-mkimage', package: 'grub-common' }, { command: 'mcopy', package: 'mtools' }])).toThrow(
      'missing tools in the build root: grub2-mkimage or grub-mkimage (package grub-common), mcopy (package mtools)',
    );
  });
});

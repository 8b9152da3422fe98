import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStageLocally } from '@osbuild-ts/plugin-kit/testing';
import { ESP_TYPE, MiB, ROOT_UUID, assembleTree, entry, gptOptions, sampleTree, testdir } from './helpers.js';

const base = { format: 'raw', filename: 'disk.raw', size: 64 * MiB, ptuuid: '0x12345678', root_fs_uuid: ROOT_UUID };

async function failure(options: Record<string, unknown>, prepare?: (tree: string) => void): Promise<string> {
  const tree = testdir('tree-');
  sampleTree(tree, { specials: false });
  prepare?.(tree);
  const { result, output } = await assembleTree(tree, options);
  expect(result.exitCode, result.output).toBe(1);
  // Nothing is left behind in the output directory.
  expect(readdirSync(output).filter((n) => n.startsWith('.qemu-assembler-'))).toEqual([]);
  return result.output;
}

describe('errors name the problem', () => {
  it('a size that is not whole sectors, a file name outside the output directory', async () => {
    expect(await failure({ ...base, size: 1000 })).toContain('`size` must be a multiple of sector size (512)');
    expect(await failure({ ...base, filename: '../disk.raw' })).toContain('filename "../disk.raw" must name a file in the output directory');
  });

  it('zipl, which needs s390x', async () => {
    expect(await failure({ ...base, bootloader: { type: 'zipl' } })).toContain('bootloader "zipl" (s390x) is not supported');
  });

  it('grub2 on gpt without a BIOS boot partition', async () => {
    const options = gptOptions();
    (options['partitions'] as unknown[]).shift();
    expect(await failure(options)).toContain('grub2: BIOS-boot partition missing');
  });

  it('a core image that does not fit before the first partition', async () => {
    expect(await failure({ ...base, pttype: 'dos', partitions: [{ start: 8, type: '83', filesystem: { type: 'ext4', uuid: ROOT_UUID, mountpoint: '/' } }] })).toMatch(
      /the core image \(\d+ bytes\) does not fit between the MBR and the first partition \(sector 8\)/,
    );
  });

  it('what FAT cannot hold: symlinks, names that differ only in case', async () => {
    const options = gptOptions({ bootloader: undefined });
    delete options['bootloader'];
    expect(await failure(options, (tree) => symlinkSync('grub.cfg', join(tree, 'boot/efi/EFI/sample/link.cfg')))).toContain('/boot/efi/EFI/sample/link.cfg: FAT cannot hold symlinks');
    expect(await failure(options, (tree) => writeFileSync(join(tree, 'boot/efi/EFI/sample/GRUB.CFG'), ''))).toMatch(/EFI\/sample\/GRUB.CFG and EFI\/sample\/grub.cfg are one name on FAT|EFI\/sample\/grub.cfg and EFI\/sample\/GRUB.CFG are one name on FAT/);
  });

  it('a missing tree input', async () => {
    const out = testdir('out-');
    const result = await runStageLocally({ entry, tree: out, options: base });
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain('no input named "tree"');
  });

  it('missing tools, all at once, with their packages', async () => {
    const out = testdir('out-');
    const tree = testdir('tree-');
    mkdirSync(join(tree, 'etc'));
    // A PATH with nothing on it: every tool is missing.
    const empty = testdir('path-');
    const result = await runStageLocally({ entry, tree: out, inputs: { tree: { path: tree } }, options: { ...base, format: 'qcow2', pttype: 'gpt', partitions: [{ type: ESP_TYPE, filesystem: { type: 'vfat', uuid: '7B77-95E7', mountpoint: '/boot/efi' } }] }, env: { PATH: empty } });
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain('missing tools in the build root: sfdisk (package fdisk (util-linux on Fedora)), mkfs.vfat (package dosfstools), mmd (package mtools), mcopy (package mtools), dd (package coreutils), qemu-img (package qemu-utils (qemu-img on Fedora))');
    expect(existsSync(join(out, 'disk.raw'))).toBe(false);
  });
});

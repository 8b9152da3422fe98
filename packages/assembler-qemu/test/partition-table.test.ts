import { existsSync, readFileSync } from 'node:fs';
import { bytesAt as readAt } from '@osbuild-ts/plugin-kit/testing';
import { describe, expect, it } from 'vitest';
import { BIOS_BOOT, ESP_TYPE, LINUX_TYPE, MiB, PTUUID_GPT, ROOT_UUID, assembleTree, gptOptions, sampleTree, sfdiskJson, testdir } from './helpers.js';
import { derivedPartitionUuid } from '../src/partition-uuid.js';

const hasPc = existsSync('/usr/lib/grub/i386-pc/boot.img');

describe('partition tables (sfdisk --json of the image against the options)', () => {
  it.skipIf(!hasPc)('dos: label-id, partitions with start, size, type, bootable; grub core in the MBR gap', async () => {
    const tree = testdir('tree-');
    sampleTree(tree);
    const options = {
      format: 'raw',
      filename: 'disk.raw',
      size: 128 * MiB,
      ptuuid: '0x14fc63d2',
      pttype: 'mbr',
      partitions: [
        { start: 2048, size: 40960, type: 'ef', filesystem: { type: 'vfat', uuid: '7B77-95E7', mountpoint: '/boot/efi' } },
        { start: 43008, size: 20480, type: '82' },
        { start: 63488, type: '83', bootable: true, filesystem: { type: 'ext4', uuid: ROOT_UUID, mountpoint: '/' } },
      ],
    };
    const { result, file } = await assembleTree(tree, options);
    expect(result.exitCode, result.output).toBe(0);
    const table = sfdiskJson(file);
    expect(table.label).toBe('dos');
    expect(table.id).toBe('0x14fc63d2');
    expect(table.partitions.map(({ start, size, type, bootable }) => ({ start, size, type, bootable: bootable ?? false }))).toEqual([
      { start: 2048, size: 40960, type: 'ef', bootable: false },
      { start: 43008, size: 20480, type: '82', bootable: false },
      // The last partition without a size takes the rest of the disk.
      { start: 63488, size: (128 * MiB) / 512 - 63488, type: '83', bootable: true },
    ]);
    // grub: boot.img's code in the MBR, pointing at the core in sector 1, partition table kept.
    const mbr = readAt(file, 0, 512);
    const bootImg = readFileSync('/usr/lib/grub/i386-pc/boot.img');
    expect(mbr.subarray(0, 0x5c)).toEqual(bootImg.subarray(0, 0x5c));
    expect(mbr.readBigUInt64LE(0x5c)).toBe(1n);
    expect(mbr.subarray(0x64, 440)).toEqual(bootImg.subarray(0x64, 440));
    expect(mbr.readUInt32LE(440)).toBe(0x14fc63d2);
    expect(mbr.readUInt16LE(510)).toBe(0xaa55);
    // The core image's first sector (diskboot.img) starts with its jump; its block list says the rest follows at sector 2.
    const core = readAt(file, 512, 512);
    expect(core.readBigUInt64LE(500)).toBe(2n);
    expect(result.output).toContain('grub2 prefix (,msdos3)/boot/grub');
  });

  it.skipIf(!hasPc)('gpt: label-id, names, UUIDs and types; grub core in the BIOS boot partition with its next sector patched', async () => {
    const tree = testdir('tree-');
    sampleTree(tree);
    const options = gptOptions();
    const { result, file } = await assembleTree(tree, options);
    expect(result.exitCode, result.output).toBe(0);
    const table = sfdiskJson(file);
    expect(table.label).toBe('gpt');
    expect(table.id).toBe(PTUUID_GPT);
    const wanted = options['partitions'] as { start: number; size?: number; type: string; uuid?: string; name?: string }[];
    expect(table.partitions.map(({ start, size, type, uuid, name }) => ({ start, size, type, uuid, name }))).toEqual([
      { start: 2048, size: 2048, type: BIOS_BOOT, uuid: wanted[0]?.uuid, name: undefined },
      { start: 4096, size: 65536, type: ESP_TYPE, uuid: wanted[1]?.uuid, name: 'EFI System' },
      // No size: the rest of the disk, its end aligned to 1 MiB by sfdisk (the backup GPT takes the last 33 sectors).
      // No uuid: one derived from the table's, the same every time.
      { start: 69632, size: (256 * MiB) / 512 - 69632 - 2048, type: LINUX_TYPE, uuid: derivedPartitionUuid(PTUUID_GPT, 2).toUpperCase(), name: 'root' },
    ]);
    const mbr = readAt(file, 0, 512);
    expect(mbr.readBigUInt64LE(0x5c)).toBe(2048n);
    expect(mbr.readUInt8(450)).toBe(0xee); // the protective MBR sfdisk wrote is still there
    const core = readAt(file, 2048 * 512, 512);
    expect(core.readBigUInt64LE(500)).toBe(2049n);
    expect(result.output).toContain('grub2 prefix (,gpt3)/boot/grub');
  });

  it.skipIf(!hasPc)("upstream's older form: root_fs_uuid alone makes a dos table with one bootable Linux partition", async () => {
    const tree = testdir('tree-');
    sampleTree(tree);
    const { result, file } = await assembleTree(tree, { format: 'raw', filename: 'disk.raw', size: 64 * MiB, ptuuid: '0x12345678', root_fs_uuid: ROOT_UUID });
    expect(result.exitCode, result.output).toBe(0);
    const table = sfdiskJson(file);
    expect(table.label).toBe('dos');
    expect(table.partitions).toEqual([expect.objectContaining({ start: 2048, size: (64 * MiB) / 512 - 2048, type: '83', bootable: true })]);
    expect(readAt(file, 0, 512).readBigUInt64LE(0x5c)).toBe(1n);
  });

  it('gpt without a bootloader option installs no BIOS stages, as upstream', async () => {
    const tree = testdir('tree-');
    sampleTree(tree);
    const options = gptOptions({ bootloader: undefined });
    delete options['bootloader'];
    const { result, file } = await assembleTree(tree, options);
    expect(result.exitCode, result.output).toBe(0);
    expect(readAt(file, 0, 440).every((b) => b === 0)).toBe(true);
    expect(readAt(file, 2048 * 512, 512).every((b) => b === 0)).toBe(true);
  });
});

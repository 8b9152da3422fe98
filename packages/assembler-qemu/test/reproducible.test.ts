import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIOS_BOOT, ESP_TYPE, ESP_UUID, LINUX_TYPE, MiB, PTUUID_GPT, ROOT_UUID, assembleTree, sampleTree, sha256File, testdir } from './helpers.js';

const options = {
  format: 'raw',
  filename: 'disk.raw',
  size: 192 * MiB,
  ptuuid: PTUUID_GPT,
  pttype: 'gpt',
  bootloader: { type: 'grub2' },
  partitions: [
    { start: 2048, size: 2048, type: BIOS_BOOT },
    { start: 4096, size: 65536, type: ESP_TYPE, filesystem: { type: 'vfat', uuid: ESP_UUID, mountpoint: '/boot/efi' } },
    { start: 69632, size: 65536, type: LINUX_TYPE, filesystem: { type: 'ext4', uuid: '156f0420-627b-4151-ae6f-fda298097515', mountpoint: '/boot' } },
    { start: 135168, type: LINUX_TYPE, filesystem: { type: 'ext4', uuid: ROOT_UUID, mountpoint: '/' } },
  ],
};

/** Reads every file, so the two copies also differ in atime where the host file system records it. */
function readAll(tree: string): void {
  execFileSync('find', [tree, '-type', 'f', '-exec', 'cat', '{}', '+'], { stdio: 'ignore' });
}

describe('reproducible images', () => {
  it('two builds from two copies of a tree, made at different times, are the same bytes with a source epoch', async () => {
    const a = join(testdir('tree-a-'), 'tree');
    sampleTree(a);
    // A second copy, later: other inode numbers, ctimes and directory order on this host.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const b = join(testdir('tree-b-'), 'tree');
    execFileSync('cp', ['-a', a, b]);
    readAll(a);
    const env = { SOURCE_DATE_EPOCH: '1700000000' };
    const first = await assembleTree(a, options, env);
    expect(first.result.exitCode, first.result.output).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const second = await assembleTree(b, options, env);
    expect(second.result.exitCode, second.result.output).toBe(0);
    // The ESP got a generated EFI loader, the BIOS stages are in place: the whole image is compared.
    expect(first.result.output).toContain('EFI loader BOOTX64.EFI');
    expect(sha256File(second.file)).toBe(sha256File(first.file));
  });

  it("sets the file system's own times to the epoch, not the clock", async () => {
    const tree = join(testdir('tree-'), 'tree');
    sampleTree(tree);
    const { result, file } = await assembleTree(tree, { ...options, format: 'raw', partitions: options.partitions.slice(0, 2).concat([{ ...options.partitions[3]!, start: 69632 }]) }, { SOURCE_DATE_EPOCH: '1600000000' });
    expect(result.exitCode, result.output).toBe(0);
    const sb = readFileSync(file).subarray(69632 * 512 + 1024, 69632 * 512 + 2048);
    // s_mkfs_time (offset 0x108) is the epoch, not the clock.
    expect(sb.readUInt32LE(0x108)).toBe(1600000000);
  });
});

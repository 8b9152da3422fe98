import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deviceArgument, hasCommand, loopDevicesUnavailable, runStageLocally, sparseFile, testdir, useLoopDevices, skipReason } from '@osbuild-ts/plugin-kit/testing';
import { itFailsWithoutItsDevice, itNamesItsMissingTool } from '@osbuild-ts/plugin-kit/stage-cases';

const entry = join(import.meta.dirname, '..', 'dist', 'main.js');
const MiB = 1024 * 1024;
const UUID = 'a957573a-f432-4bed-a0bc-e541bddf8579';
const skip = skipReason(loopDevicesUnavailable() ?? (hasCommand('mkfs.ext4') && hasCommand('dumpe2fs') ? null : 'e2fsprogs is not installed'));

/** dumpe2fs -h's "Key: value" lines, times in UTC. */
function superblock(device: string): Record<string, string> {
  const text = execFileSync('dumpe2fs', ['-h', device], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, TZ: 'UTC' } });
  return Object.fromEntries(text.split('\n').flatMap((line) => {
    const match = /^([^:]+):\s*(.*)$/.exec(line);
    return match ? [[match[1]!, match[2]!]] : [];
  }));
}

describe.skipIf(skip !== null)(`org.osbuild.mkfs.ext4 on a loop device${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const { attach, detach } = useLoopDevices();

  /** A 64 MiB partition at 1 MiB into a disk image, as the loopback device gives it. */
  function partition() {
    const dir = testdir('mkfs-ext4');
    const file = sparseFile(dir, 'disk.img', 66 * MiB);
    return { tree: dir, file, device: attach(file, { offset: MiB, sizelimit: 64 * MiB }) };
  }

  it('makes an ext4 file system with the UUID, label and features asked for, inside the partition only', async () => {
    const { tree, file, device } = partition();
    const result = await runStageLocally({
      entry,
      tree,
      options: { uuid: UUID, label: 'root', verity: true, orphan_file: true, metadata_csum_seed: true, lazy_init: false },
      devices: deviceArgument(device),
    });
    expect(result.exitCode, result.output).toBe(0);
    const sb = superblock(device);
    expect(sb['Filesystem UUID']).toBe(UUID);
    expect(sb['Filesystem volume name']).toBe('root');
    expect(sb['Block count']).toBe(String((64 * MiB) / Number(sb['Block size'])));
    expect(sb['Filesystem features']?.split(' ')).toEqual(expect.arrayContaining(['verity', 'orphan_file', 'metadata_csum_seed', 'has_journal', 'extent']));
    expect(execFileSync('blkid', ['-o', 'export', device], { encoding: 'utf8' })).toContain(`UUID=${UUID}\nBLOCK_SIZE=`);
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, MiB).every((b) => b === 0)).toBe(true);
    expect(bytes.subarray(65 * MiB).every((b) => b === 0)).toBe(true);
  });

  it('turns features off that mke2fs.conf would turn on', async () => {
    const { tree, device } = partition();
    const result = await runStageLocally({ entry, tree, options: { uuid: UUID, orphan_file: false, metadata_csum_seed: false }, devices: deviceArgument(device) });
    expect(result.exitCode, result.output).toBe(0);
    const features = superblock(device)['Filesystem features']?.split(' ') ?? [];
    expect(features).not.toContain('orphan_file');
    expect(features).not.toContain('metadata_csum_seed');
    expect(superblock(device)['Filesystem volume name']).toBe('<none>');
  });

  it('makes one the kernel mounts and uses', async () => {
    const { tree, device } = partition();
    const result = await runStageLocally({ entry, tree, options: { uuid: UUID, lazy_init: true }, devices: deviceArgument(device) });
    expect(result.exitCode, result.output).toBe(0);
    const mountpoint = join(tree, 'mnt');
    mkdirSync(mountpoint);
    execFileSync('mount', ['-t', 'ext4', device, mountpoint]);
    try {
      writeFileSync(join(mountpoint, 'hello'), 'world\n');
      expect(readFileSync(join(mountpoint, 'hello'), 'utf8')).toBe('world\n');
      expect(execFileSync('findmnt', ['-n', '-o', 'FSTYPE', mountpoint], { encoding: 'utf8' }).trim()).toBe('ext4');
    } finally {
      execFileSync('umount', [mountpoint]);
    }
  });

  it('gives the same bytes twice with a source-epoch, and stamps that time', async () => {
    const images: Buffer[] = [];
    for (let i = 0; i < 2; i++) {
      const { tree, file, device } = partition();
      const result = await runStageLocally({ entry, tree, options: { uuid: UUID, label: 'root' }, devices: deviceArgument(device), sourceEpoch: 1700000000 });
      expect(result.exitCode, result.output).toBe(0);
      const sb = superblock(device);
      expect(sb['Filesystem created']).toBe('Tue Nov 14 22:13:20 2023');
      expect(sb['Directory Hash Seed']).toBe(UUID);
      detach(device);
      images.push(readFileSync(file));
    }
    expect(images[0]?.equals(images[1]!)).toBe(true);
  });

  it('passes on mke2fs\'s refusal of a UUID it cannot read', async () => {
    const { tree, device } = partition();
    const result = await runStageLocally({ entry, tree, options: { uuid: 'some-uuid' }, devices: deviceArgument(device) });
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain('could not parse UUID: some-uuid');
    expect(result.output).toContain(`mkfs.ext4 -U some-uuid ${device} failed (exit status 1)`);
  });

  itFailsWithoutItsDevice({ entry, options: { uuid: UUID }, role: 'the device to format' });
});

describe('org.osbuild.mkfs.ext4 without its tool', () => {
  itNamesItsMissingTool({ entry, options: { uuid: UUID }, tool: 'mkfs.ext4', package: 'e2fsprogs' });
});

import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bytesAt, deviceArgument, hasCommand, loopDevicesUnavailable, runStageLocally, sparseFile, testdir, useLoopDevices, skipReason } from '@osbuild-ts/plugin-kit/testing';
import { itFailsWithoutItsDevice, itNamesItsMissingTool } from '@osbuild-ts/plugin-kit/stage-cases';

const entry = join(import.meta.dirname, '..', 'dist', 'main.js');
const MiB = 1024 * 1024;
// Each file system gets a fresh UUID: mkfs.btrfs refuses one that libblkid
// (or the kernel, after a mount) still knows from another btrfs on the host.
const UUID = randomUUID();
const skip = skipReason(loopDevicesUnavailable() ?? (hasCommand('mkfs.btrfs') && hasCommand('btrfs') ? null : 'btrfs-progs is not installed'));

/** dump-super's "key value" lines. */
function superblock(device: string): Record<string, string> {
  const text = execFileSync('btrfs', ['inspect-internal', 'dump-super', device], { encoding: 'utf8' });
  return Object.fromEntries(text.split('\n').flatMap((line) => {
    const match = /^([a-z_.]+)\t+(.*)$/.exec(line);
    return match ? [[match[1]!, match[2]!]] : [];
  }));
}

/** The profile of each chunk type, from the chunk tree: {METADATA: 'DUP', DATA: 'single', …}. */
function profiles(device: string): Record<string, string> {
  const text = execFileSync('btrfs', ['inspect-internal', 'dump-tree', '-t', 'chunk', device], { encoding: 'utf8' });
  return Object.fromEntries([...text.matchAll(/type (DATA|METADATA|SYSTEM)\|(\w+)/g)].map((m) => [m[1]!, m[2]!]));
}

describe.skipIf(skip !== null)(`org.osbuild.mkfs.btrfs on a loop device${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const { attach } = useLoopDevices();

  /** A 256 MiB partition (btrfs wants 109 MiB at least) at 1 MiB into a disk image. */
  function partition() {
    const dir = testdir('mkfs-btrfs');
    const file = sparseFile(dir, 'disk.img', 258 * MiB);
    return { tree: dir, file, device: attach(file, { offset: MiB, sizelimit: 256 * MiB }) };
  }

  it('makes a btrfs file system with the UUID, label and metadata profile asked for, inside the partition', async () => {
    const { tree, file, device } = partition();
    const uuid = randomUUID();
    const result = await runStageLocally({ entry, tree, options: { uuid, label: 'root', metadata: 'single' }, devices: deviceArgument(device) });
    expect(result.exitCode, result.output).toBe(0);
    const sb = superblock(device);
    expect([sb['fsid'], sb['label'], sb['total_bytes']]).toEqual([uuid, 'root', String(256 * MiB)]);
    expect(profiles(device)).toMatchObject({ METADATA: 'single', SYSTEM: 'single', DATA: 'single' });
    expect(execFileSync('blkid', ['-o', 'export', device], { encoding: 'utf8' })).toContain(`LABEL=root\nUUID=${uuid}\n`);
    // The primary superblock sits 64 KiB into the device: 1 MiB + 64 KiB into the file.
    expect(bytesAt(file, MiB + 65536 + 64, 8).toString('latin1')).toBe('_BHRfS_M');
    expect(bytesAt(file, 0, MiB).every((b) => b === 0)).toBe(true);
    expect(bytesAt(file, 257 * MiB, MiB).every((b) => b === 0)).toBe(true);
  });

  it('keeps mkfs.btrfs\'s default profile without metadata, and makes one the kernel mounts', async () => {
    const { tree, device } = partition();
    const uuid = randomUUID();
    const result = await runStageLocally({ entry, tree, options: { uuid, metadata: 'dup' }, devices: deviceArgument(device) });
    expect(result.exitCode, result.output).toBe(0);
    expect(profiles(device)).toMatchObject({ METADATA: 'DUP' });
    expect(superblock(device)['label']).toBe('');
    const mountpoint = join(tree, 'mnt');
    mkdirSync(mountpoint);
    execFileSync('mount', ['-t', 'btrfs', device, mountpoint]);
    try {
      writeFileSync(join(mountpoint, 'hello'), 'world\n');
      expect(readFileSync(join(mountpoint, 'hello'), 'utf8')).toBe('world\n');
      expect(execFileSync('findmnt', ['-n', '-o', 'UUID', mountpoint], { encoding: 'utf8' }).trim()).toBe(uuid);
    } finally {
      execFileSync('umount', [mountpoint]);
    }
  });

  it('passes on mkfs.btrfs\'s refusals: a device that is too small, an existing file system', async () => {
    const dir = testdir('mkfs-btrfs');
    const small = attach(sparseFile(dir, 'small.img', 64 * MiB));
    const uuid = randomUUID();
    const tooSmall = await runStageLocally({ entry, tree: dir, options: { uuid }, devices: deviceArgument(small) });
    expect(tooSmall.exitCode).toBe(1);
    expect(tooSmall.output).toMatch(/too small to make a usable filesystem/);
    expect(tooSmall.output).toContain(`mkfs.btrfs -U ${uuid} ${small} failed (exit status 1)`);

    // Upstream passes no -f, so a second run on the same device stops.
    const { tree, device } = partition();
    expect((await runStageLocally({ entry, tree, options: { uuid: randomUUID() }, devices: deviceArgument(device) })).exitCode).toBe(0);
    const again = await runStageLocally({ entry, tree, options: { uuid: randomUUID() }, devices: deviceArgument(device) });
    expect(again.exitCode).toBe(1);
    expect(again.output).toContain('appears to contain an existing filesystem (btrfs)');
  });

  itFailsWithoutItsDevice({ entry, options: { uuid: UUID }, role: 'the device to format' });
});

describe('org.osbuild.mkfs.btrfs without its tool', () => {
  itNamesItsMissingTool({ entry, options: { uuid: UUID }, tool: 'mkfs.btrfs', package: 'btrfs-progs' });
});

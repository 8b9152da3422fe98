import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bytesAt, deviceArgument, hasCommand, loopDevicesUnavailable, runStageLocally, sparseFile, testdir, useLoopDevices, skipReason } from '@osbuild-ts/plugin-kit/testing';
import { itFailsWithoutItsDevice, itNamesItsMissingTool } from '@osbuild-ts/plugin-kit/stage-cases';

const entry = join(import.meta.dirname, '..', 'dist', 'main.js');
const MiB = 1024 * 1024;
// Fresh each run: the kernel will not mount a second XFS with a UUID already mounted.
const UUID = randomUUID();
const skip = skipReason(loopDevicesUnavailable() ?? (hasCommand('mkfs.xfs') && hasCommand('xfs_db') ? null : 'xfsprogs is not installed'));

/** The superblock fields xfs_db prints for `p uuid fname agcount`. */
function superblock(device: string): Record<string, string> {
  const text = execFileSync('xfs_db', ['-r', '-c', 'sb 0', '-c', 'p uuid fname agcount', device], { encoding: 'utf8' });
  return Object.fromEntries(text.trim().split('\n').map((line) => line.split(' = ') as [string, string]));
}

describe.skipIf(skip !== null)(`org.osbuild.mkfs.xfs on a loop device${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const { attach } = useLoopDevices();

  /** A 320 MiB partition (XFS wants more than 300 MB) at 1 MiB into a disk image. */
  function partition() {
    const dir = testdir('mkfs-xfs');
    const file = sparseFile(dir, 'disk.img', 322 * MiB);
    return { tree: dir, file, device: attach(file, { offset: MiB, sizelimit: 320 * MiB }) };
  }

  it('makes an XFS file system with the UUID, label and allocation groups asked for, inside the partition', async () => {
    const { tree, file, device } = partition();
    const result = await runStageLocally({ entry, tree, options: { uuid: UUID, label: 'root', agcount: 2 }, devices: deviceArgument(device) });
    expect(result.exitCode, result.output).toBe(0);
    expect(superblock(device)).toEqual({ uuid: UUID, fname: '"root\\000\\000\\000\\000\\000\\000\\000\\000"', agcount: '2' });
    expect(execFileSync('blkid', ['-o', 'export', device], { encoding: 'utf8' })).toMatch(new RegExp(`LABEL=root\\nUUID=${UUID}\\n(.*\\n)*TYPE=xfs`));
    expect(bytesAt(file, 0, MiB).every((b) => b === 0)).toBe(true);
    expect(bytesAt(file, MiB, 4).toString('latin1')).toBe('XFSB');
    expect(bytesAt(file, 321 * MiB, MiB).every((b) => b === 0)).toBe(true);
  });

  it('leaves the allocation groups to mkfs.xfs without agcount, and makes one the kernel mounts', async () => {
    const { tree, device } = partition();
    const result = await runStageLocally({ entry, tree, options: { uuid: UUID }, devices: deviceArgument(device) });
    expect(result.exitCode, result.output).toBe(0);
    expect(superblock(device)['agcount']).toBe('4');
    const mountpoint = join(tree, 'mnt');
    mkdirSync(mountpoint);
    execFileSync('mount', ['-t', 'xfs', device, mountpoint]);
    try {
      writeFileSync(join(mountpoint, 'hello'), 'world\n');
      expect(readFileSync(join(mountpoint, 'hello'), 'utf8')).toBe('world\n');
      expect(execFileSync('xfs_info', [mountpoint], { encoding: 'utf8' })).toContain('agcount=4');
    } finally {
      execFileSync('umount', [mountpoint]);
    }
  });

  it('passes on mkfs.xfs\'s refusals: a device that is too small, an existing file system', async () => {
    const dir = testdir('mkfs-xfs');
    const small = attach(sparseFile(dir, 'small.img', 64 * MiB));
    const tooSmall = await runStageLocally({ entry, tree: dir, options: { uuid: UUID }, devices: deviceArgument(small) });
    expect(tooSmall.exitCode).toBe(1);
    expect(tooSmall.output).toContain('Filesystem must be larger than 300MB.');
    expect(tooSmall.output).toContain(`mkfs.xfs -m uuid=${UUID} ${small} failed (exit status 1)`);

    // Upstream passes no -f, so a second run on the same device stops.
    const { tree, device } = partition();
    expect((await runStageLocally({ entry, tree, options: { uuid: UUID }, devices: deviceArgument(device) })).exitCode).toBe(0);
    const again = await runStageLocally({ entry, tree, options: { uuid: UUID }, devices: deviceArgument(device) });
    expect(again.exitCode).toBe(1);
    expect(again.output).toContain('appears to contain an existing filesystem (xfs)');
  });

  itFailsWithoutItsDevice({ entry, options: { uuid: UUID }, others: ['root'], role: 'the device to format' });
});

describe('org.osbuild.mkfs.xfs without its tool', () => {
  itNamesItsMissingTool({ entry, options: { uuid: UUID }, tool: 'mkfs.xfs', package: 'xfsprogs' });
});

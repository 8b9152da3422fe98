// The disk stages in the order an image pipeline runs them, on one file:
// truncate makes it, sfdisk partitions it through a loop device over the
// whole file, and mkfs.fat and mkfs.ext4 format loop devices that cover one
// partition each (what the engine's loopback devices give them).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deviceArgument, hasCommand, loopDevicesUnavailable, runStageLocally, testdir, useLoopDevices, skipReason } from '@osbuild-ts/plugin-kit/testing';

const require = createRequire(import.meta.url);

/** A stage package's entry, found the way the engine finds it: its package.json's osbuild field. */
function stageEntry(name: string): string {
  const manifest = require.resolve(`${name}/package.json`);
  const { osbuild } = JSON.parse(readFileSync(manifest, 'utf8')) as { osbuild: { entry: string } };
  return join(dirname(manifest), osbuild.entry);
}

const truncate = stageEntry('@osbuild-ts/stage-truncate');
const sfdisk = join(import.meta.dirname, '..', 'dist', 'main.js');
const mkfsFat = stageEntry('@osbuild-ts/stage-mkfs-fat');
const mkfsExt4 = stageEntry('@osbuild-ts/stage-mkfs-ext4');

const SECTOR = 512;
const TABLE = '6E7AD1F1-0FD6-4C2B-9A1E-4C8F3D7A5B10';
const ROOT_UUID = '6264d520-3fb9-423f-8ab8-7a0a8e3d3562';
const skip = skipReason(loopDevicesUnavailable() ?? (['mkfs.ext4', 'mkfs.fat', 'fsck.fat', 'e2fsck'].find((tool) => !hasCommand(tool)) ?? null));

interface Partition {
  start: number;
  size: number;
  type: string;
}

describe.skipIf(skip !== null)(`truncate → sfdisk → mkfs.fat, mkfs.ext4 on one image${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const { attach, detach } = useLoopDevices();

  /** Runs the chain in a fresh tree; returns the image's path and the partition table sfdisk read back. */
  async function buildImage(sourceEpoch?: number) {
    const tree = testdir('compose');
    const made = await runStageLocally({ entry: truncate, tree, options: { filename: '/disk.img', size: '96M' }, sourceEpoch });
    expect(made.exitCode, made.output).toBe(0);
    const image = join(tree, 'disk.img');

    const disk = attach(image);
    const partitioned = await runStageLocally({ entry: sfdisk,
      tree,
      options: { label: 'gpt', uuid: TABLE, partitions: [{ start: 2048, size: 40960, type: 'U', name: 'ESP' }, { start: 43008, type: 'L', name: 'root' }] },
      devices: deviceArgument(disk),
      sourceEpoch,
    });
    expect(partitioned.exitCode, partitioned.output).toBe(0);
    const table = JSON.parse(execFileSync('sfdisk', ['--json', disk], { encoding: 'utf8' })) as { partitiontable: { partitions: Partition[] } };
    detach(disk);
    const [esp, root] = table.partitiontable.partitions as [Partition, Partition];

    const onPartition = (p: Partition) => attach(image, { offset: p.start * SECTOR, sizelimit: p.size * SECTOR });
    const espDevice = onPartition(esp);
    const fat = await runStageLocally({ entry: mkfsFat, tree, options: { volid: '7b7795e7', label: 'ESP', 'fat-size': 16 }, devices: deviceArgument(espDevice), sourceEpoch });
    expect(fat.exitCode, fat.output).toBe(0);
    const rootDevice = onPartition(root);
    const ext4 = await runStageLocally({ entry: mkfsExt4, tree, options: { uuid: ROOT_UUID, label: 'root' }, devices: deviceArgument(rootDevice), sourceEpoch });
    expect(ext4.exitCode, ext4.output).toBe(0);
    return { tree, image, esp, root, espDevice, rootDevice };
  }

  it('gives a partitioned image whose file systems sit in their partitions and check clean', async () => {
    const { tree, image, esp, root, espDevice, rootDevice } = await buildImage();
    expect(readFileSync(image).length).toBe(96 * 1024 * 1024);
    expect([esp.start, esp.size, esp.type]).toEqual([2048, 40960, 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B']);
    // sfdisk gave root the rest, ending on a MiB boundary before gpt's backup entries.
    expect([root.start, root.start + root.size, root.type]).toEqual([43008, (95 * 1024 * 1024) / SECTOR, '0FC63DAF-8483-4772-8E79-3D69D8477DE4']);

    expect(execFileSync('blkid', ['-o', 'export', espDevice], { encoding: 'utf8' })).toContain('LABEL=ESP\nUUID=7B77-95E7\n');
    expect(execFileSync('blkid', ['-o', 'export', rootDevice], { encoding: 'utf8' })).toContain(`LABEL=root\nUUID=${ROOT_UUID}\n`);
    execFileSync('fsck.fat', ['-n', espDevice]);
    execFileSync('e2fsck', ['-fn', rootDevice]);

    // Formatting stayed inside the partitions: the table (and its backup) is intact.
    execFileSync('sfdisk', ['--verify', image]);
    const table = JSON.parse(execFileSync('sfdisk', ['--json', image], { encoding: 'utf8' })) as { partitiontable: { id: string; partitions: unknown[] } };
    expect([table.partitiontable.id, table.partitiontable.partitions.length]).toEqual([TABLE, 2]);

    // And the kernel mounts the root file system from its partition.
    const mountpoint = join(tree, 'mnt');
    mkdirSync(mountpoint);
    execFileSync('mount', ['-t', 'ext4', rootDevice, mountpoint]);
    try {
      writeFileSync(join(mountpoint, 'etc-hostname'), 'box\n');
    } finally {
      execFileSync('umount', [mountpoint]);
    }
  });

  it('gives the same image, bit for bit, twice with a source-epoch', async () => {
    const images: Buffer[] = [];
    for (let i = 0; i < 2; i++) {
      const { image, espDevice, rootDevice } = await buildImage(1700000000);
      detach(espDevice);
      detach(rootDevice);
      images.push(readFileSync(image));
    }
    expect(images[0]?.equals(images[1]!)).toBe(true);
  });
});

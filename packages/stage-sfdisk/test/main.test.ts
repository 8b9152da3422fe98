import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deviceArgument, loopDevicesUnavailable, runStageLocally, sparseFile, testdir, useLoopDevices, skipReason } from '@osbuild-ts/plugin-kit/testing';
import { itFailsWithoutItsDevice, itNamesItsMissingTool } from '@osbuild-ts/plugin-kit/stage-cases';

const entry = join(import.meta.dirname, '..', 'dist', 'main.js');
const MiB = 1024 * 1024;
const TABLE = 'D209C89E-EA5E-4FBD-B161-B461CCE297E0';
const skip = skipReason(loopDevicesUnavailable());

interface JsonPartition {
  node: string;
  start: number;
  size: number;
  type: string;
  uuid?: string;
  name?: string;
  attrs?: string;
  bootable?: boolean;
}
interface JsonTable {
  label: string;
  id: string;
  sectorsize: number;
  partitions?: JsonPartition[];
}

/** What sfdisk itself reads back from the device. */
function readTable(device: string): JsonTable {
  return (JSON.parse(execFileSync('sfdisk', ['--json', device], { encoding: 'utf8' })) as { partitiontable: JsonTable }).partitiontable;
}

describe.skipIf(skip !== null)(`org.osbuild.sfdisk on a loop device${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const { attach } = useLoopDevices();

  function disk(bytes = 64 * MiB) {
    const dir = testdir('sfdisk');
    const file = sparseFile(dir, 'disk.img', bytes);
    return { tree: dir, file, device: attach(file) };
  }

  it('writes a gpt table with the id, types, names, UUIDs and attributes asked for', async () => {
    const { tree, device } = disk();
    const partitions = [
      { start: 2048, size: 2048, type: '21686148-6449-6E6F-744E-656564454649', name: 'BIOS-BOOT', uuid: 'FAC7F1FB-3E8D-4137-A512-961DE09A5549', attrs: [2, 60] },
      { start: 4096, size: 40960, type: 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B', name: 'EFI-SYSTEM', uuid: '68B2905B-DF3E-4FB3-80FA-49D1E773AA33' },
      { start: 45056, size: 86016 - 4096, type: '0FC63DAF-8483-4772-8E79-3D69D8477DE4', name: 'root', uuid: '6264D520-3FB9-423F-8AB8-7A0A8E3D3562' },
    ];
    const result = await runStageLocally({ entry, tree, options: { label: 'gpt', uuid: TABLE, partitions }, devices: deviceArgument(device) });
    expect(result.exitCode, result.output).toBe(0);
    expect(result.output).toContain(`label: gpt\nlabel-id: ${TABLE}\n`);

    const table = readTable(device);
    expect([table.label, table.id]).toEqual(['gpt', TABLE]);
    expect(table.partitions?.map(({ start, size, type, name, uuid }) => ({ start, size, type, name, uuid }))).toEqual(
      partitions.map(({ start, size, type, name, uuid }) => ({ start, size, type, name, uuid })),
    );
    expect(table.partitions?.[0]?.attrs).toBe('LegacyBIOSBootable GUID:60');
    // The stage's output ends with the table as sfdisk --json reads it.
    expect(result.output).toContain(`"id": "${TABLE}"`);
  });

  it('writes a dos table, "mbr" being sfdisk\'s other name for it, with bootable flags and aliases', async () => {
    const { tree, device } = disk();
    const result = await runStageLocally({
      entry,
      tree,
      options: {
        label: 'mbr',
        uuid: '0x14fc63d2',
        partitions: [
          { start: 2048, size: 20480, type: 'ef' },
          { start: 22528, size: 40960, type: '83', bootable: true },
          { type: 'swap' },
        ],
      },
      devices: deviceArgument(device),
    });
    expect(result.exitCode, result.output).toBe(0);
    const table = readTable(device);
    expect([table.label, table.id]).toEqual(['dos', '0x14fc63d2']);
    expect(table.partitions?.map(({ start, size, type, bootable }) => ({ start, size, type, bootable }))).toEqual([
      { start: 2048, size: 20480, type: 'ef', bootable: undefined },
      { start: 22528, size: 40960, type: '83', bootable: true },
      // sfdisk placed the last one after the others and gave it the rest of the disk.
      { start: 63488, size: 131072 - 63488, type: '82', bootable: undefined },
    ]);
  });

  it('puts partitions in the slots partnum names', async () => {
    const { tree, device } = disk();
    const result = await runStageLocally({
      entry,
      tree,
      options: { label: 'gpt', uuid: TABLE, partitions: [{ partnum: 1, start: 2048, size: 2048 }, { partnum: 3, start: 4096, size: 2048, type: 'S' }] },
      devices: deviceArgument(device),
    });
    expect(result.exitCode, result.output).toBe(0);
    const table = readTable(device);
    expect(table.partitions?.map((p) => [p.node.replace(device, ''), p.start, p.type])).toEqual([
      ['p1', 2048, '0FC63DAF-8483-4772-8E79-3D69D8477DE4'],
      ['p3', 4096, '0657FD6D-A4AB-43C4-84E5-0933C84B4F4F'],
    ]);
  });

  it('counts in the device\'s own sectors: 4096 bytes on a 4Kn loop device', async () => {
    const { tree, device } = (() => {
      const dir = testdir('sfdisk');
      const file = sparseFile(dir, 'disk.img', 64 * MiB);
      return { tree: dir, device: attach(file, { sectorSize: 4096 }) };
    })();
    const ok = await runStageLocally({ entry, tree, options: { label: 'gpt', uuid: TABLE, partitions: [{ start: 256, size: 16000 }] }, devices: deviceArgument(device) });
    expect(ok.exitCode, ok.output).toBe(0);
    const table = readTable(device);
    expect([table.sectorsize, table.partitions?.[0]?.start, table.partitions?.[0]?.size]).toEqual([4096, 256, 16000]);
    // 64 MiB is 16384 sectors of 4096 bytes: 16000 more do not fit after 1000.
    const tooBig = await runStageLocally({ entry, tree, options: { label: 'gpt', uuid: TABLE, partitions: [{ start: 1000, size: 16000 }] }, devices: deviceArgument(device) });
    expect(tooBig.exitCode).toBe(1);
    expect(tooBig.output).toContain(`partitions[0] (start 1000, size 16000) ends at sector 16999, past the end of ${device} (16384 sectors of 4096 bytes; a gpt table can use sectors 6-16378)`);
  });

  it('writes only inside the window a loop device gives onto a file', async () => {
    const dir = testdir('sfdisk');
    const file = sparseFile(dir, 'big.img', 96 * MiB);
    const device = attach(file, { offset: 16 * MiB, sizelimit: 64 * MiB });
    const result = await runStageLocally({ entry, tree: dir, options: { label: 'gpt', uuid: TABLE, partitions: [{ size: 4096 }] }, devices: deviceArgument(device) });
    expect(result.exitCode, result.output).toBe(0);
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, 16 * MiB).every((b) => b === 0)).toBe(true);
    expect(bytes.subarray(16 * MiB + 512, 16 * MiB + 520).toString('latin1')).toBe('EFI PART');
    // The backup header is in the window's last sector, not the file's.
    expect(bytes.subarray(80 * MiB - 512, 80 * MiB - 504).toString('latin1')).toBe('EFI PART');
    expect(bytes.subarray(80 * MiB).every((b) => b === 0)).toBe(true);
  });

  it('gives the same bytes twice with a source-epoch, deriving the partition UUIDs', async () => {
    const options = { label: 'gpt', uuid: TABLE, partitions: [{ size: 2048, name: 'efi', type: 'U' }, { type: 'L', name: 'root' }] };
    const images: Buffer[] = [];
    const uuids: (string | undefined)[][] = [];
    for (let i = 0; i < 2; i++) {
      const { tree, file, device } = disk(16 * MiB);
      const result = await runStageLocally({ entry, tree, options, devices: deviceArgument(device), sourceEpoch: 1700000000 });
      expect(result.exitCode, result.output).toBe(0);
      uuids.push(readTable(device).partitions?.map((p) => p.uuid) ?? []);
      images.push(readFileSync(file));
    }
    expect(uuids[0]).toHaveLength(2);
    expect(uuids[1]).toEqual(uuids[0]);
    expect(images[0]?.equals(images[1]!)).toBe(true);

    // Without one, sfdisk picks random partition UUIDs, as upstream's stage leaves it to.
    const { tree, device } = disk(16 * MiB);
    const random = await runStageLocally({ entry, tree, options, devices: deviceArgument(device) });
    expect(random.exitCode, random.output).toBe(0);
    expect(readTable(device).partitions?.map((p) => p.uuid)).not.toEqual(uuids[0]);
  });

  it('says which partition does not fit or overlaps, before writing anything', async () => {
    const { tree, file, device } = disk();
    for (const [partitions, message] of [
      [[{ start: 2048, size: 999999999 }], `partitions[0].size 999999999 is larger than the usable sectors of ${device} (131072 sectors of 512 bytes; a gpt table can use sectors 34-131038)`],
      [[{ start: 2048, size: 4096 }, { start: 4096, size: 100 }], 'partitions[0] (sectors 2048-6143) and partitions[1] (sectors 4096-4195) overlap'],
    ] as const) {
      const result = await runStageLocally({ entry, tree, options: { label: 'gpt', uuid: TABLE, partitions }, devices: deviceArgument(device) });
      expect(result.exitCode).toBe(1);
      expect(result.output.trim()).toBe(message);
    }
    expect(readFileSync(file).every((b) => b === 0)).toBe(true);
  });

  it('refuses an unknown partition type, which sfdisk would write as "Empty" on dos', async () => {
    const { tree, device } = disk();
    const result = await runStageLocally({ entry, tree, options: { label: 'dos', uuid: '0x1', partitions: [{ size: 2048, type: 'linux-root' }] }, devices: deviceArgument(device) });
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain('partitions[0].type "linux-root" is not a dos partition type; expected a one-byte hex code (83, 0xef)');
  });

  it('passes on sfdisk\'s own refusal, pointing at the partition', async () => {
    const { tree, device } = disk();
    // sfdisk keeps the first MiB for alignment on gpt, which the stage does not second-guess.
    const result = await runStageLocally({ entry, tree, options: { label: 'gpt', uuid: TABLE, partitions: [{ start: 34, size: 100 }] }, devices: deviceArgument(device) });
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain('Sector 34 already used');
    expect(result.output).toContain(`sfdisk refused the gpt table for ${device} (its message is above; its "#N" is partitions[N-1]): sfdisk -q --no-tell-kernel ${device} failed (exit status 1)`);
  });

  itFailsWithoutItsDevice({ entry, options: { label: 'gpt', uuid: TABLE }, others: ['disk'], role: 'the disk to partition' });
});

describe('org.osbuild.sfdisk without its tools', () => {
  itNamesItsMissingTool({ entry, options: { label: 'gpt', uuid: TABLE }, tool: 'sfdisk', package: 'fdisk' });
});

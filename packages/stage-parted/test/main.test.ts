import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deviceArgument, hasCommand, loopDevicesUnavailable, runStageLocally, sparseFile, testdir, useLoopDevices, skipReason } from '@osbuild-ts/plugin-kit/testing';
import { itFailsWithoutItsDevice, itNamesItsMissingTool } from '@osbuild-ts/plugin-kit/stage-cases';

const entry = join(import.meta.dirname, '..', 'dist', 'main.js');
const MiB = 1024 * 1024;
const skip = skipReason(loopDevicesUnavailable() ?? (hasCommand('parted') && hasCommand('sfdisk') ? null : 'parted or sfdisk is not installed'));

/** `parted -m print` in sectors: one [number, start, end, size, name, flags] per partition. */
function readTable(device: string): { label: string; partitions: string[][] } {
  const lines = execFileSync('parted', ['-m', '-s', device, 'unit', 's', 'print'], { encoding: 'utf8' }).trim().split('\n');
  const disk = lines[1]?.split(':') ?? [];
  const partitions = lines.slice(2).map((line) => {
    const [number = '', start = '', end = '', size = '', , name = '', flags = ''] = line.replace(/;$/, '').split(':');
    return [number, start, end, size, name, flags];
  });
  return { label: disk[5] ?? '', partitions };
}

function sfdiskTypes(device: string): string[] {
  const json = JSON.parse(execFileSync('sfdisk', ['--json', device], { encoding: 'utf8' })) as { partitiontable: { partitions: { type: string }[] } };
  return json.partitiontable.partitions.map((p) => p.type);
}

describe.skipIf(skip !== null)(`org.osbuild.parted on a loop device${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const { attach } = useLoopDevices();

  function disk(bytes = 64 * MiB) {
    const dir = testdir('parted');
    const file = sparseFile(dir, 'disk.img', bytes);
    return { tree: dir, file, device: attach(file) };
  }

  it('writes a gpt table with the exact sectors, names and flags asked for', async () => {
    const { tree, device } = disk();
    const result = await runStageLocally({
      entry,
      tree,
      options: {
        label: 'gpt',
        partitions: [
          { start: 2048, size: 2048, name: 'BIOS-BOOT', type: 'bios_grub' },
          { start: 4096, size: 40960, name: 'EFI System', bootable: true },
          { start: 45057, size: 81920, name: 'root' },
          { start: 126977, size: 1000, type: 'lvm' },
        ],
      },
      devices: deviceArgument(device),
    });
    expect(result.exitCode, result.output).toBe(0);
    const table = readTable(device);
    expect(table.label).toBe('gpt');
    expect(table.partitions).toEqual([
      ['1', '2048s', '4095s', '2048s', 'BIOS-BOOT', 'bios_grub'],
      ['2', '4096s', '45055s', '40960s', 'EFI System', 'boot, esp'],
      // -a none: an unaligned start stays where it was asked to be.
      ['3', '45057s', '126976s', '81920s', 'root', ''],
      ['4', '126977s', '127976s', '1000s', '', 'lvm'],
    ]);
    expect(sfdiskTypes(device)).toEqual([
      '21686148-6449-6E6F-744E-656564454649',
      'C12A7328-F81F-11D2-BA4B-00A0C93EC93B',
      '0FC63DAF-8483-4772-8E79-3D69D8477DE4',
      'E6D6D379-F507-44C2-A23C-238F2A3DF928',
    ]);
    // parted's own print of the result is the stage's output.
    expect(result.output).toContain('Partition Table: gpt');
  });

  it('writes only inside the window a loop device gives onto a file', async () => {
    const dir = testdir('parted');
    const file = sparseFile(dir, 'big.img', 48 * MiB);
    const device = attach(file, { offset: 8 * MiB, sizelimit: 32 * MiB });
    const result = await runStageLocally({ entry, tree: dir, options: { label: 'gpt', partitions: [{ start: 2048, size: 4096, name: 'a' }] }, devices: deviceArgument(device) });
    expect(result.exitCode, result.output).toBe(0);
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, 8 * MiB).every((b) => b === 0)).toBe(true);
    expect(bytes.subarray(8 * MiB + 512, 8 * MiB + 520).toString('latin1')).toBe('EFI PART');
    expect(bytes.subarray(40 * MiB).every((b) => b === 0)).toBe(true);
  });

  it('refuses a flag parted does not have for gpt before writing anything', async () => {
    const { tree, file, device } = disk();
    const result = await runStageLocally({
      entry,
      tree,
      options: { label: 'gpt', partitions: [{ start: 2048, size: 2048, name: 'a' }, { start: 4096, size: 2048, name: 'b', type: 'linux-root' }] },
      devices: deviceArgument(device),
    });
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain('partitions[1].type "linux-root" is not a flag parted can set on a gpt partition (parted: invalid token: linux-root); see "set" in parted(8)');
    expect(readFileSync(file).every((b) => b === 0)).toBe(true);
  });

  it('says which partition does not fit', async () => {
    const { tree, device } = disk();
    const result = await runStageLocally({ entry, tree, options: { label: 'gpt', partitions: [{ start: 2048, size: 999999999, name: 'x' }] }, devices: deviceArgument(device) });
    expect(result.exitCode).toBe(1);
    expect(result.output.trim()).toBe(
      `partitions[0] (start 2048, size 999999999) ends at sector 1000002046, past the end of ${device} (131072 sectors of 512 bytes; a gpt table can use sectors 34-131038)`,
    );
  });

  itFailsWithoutItsDevice({ entry, options: { label: 'gpt' }, role: 'the disk to partition' });
});

describe('org.osbuild.parted without its tools', () => {
  itNamesItsMissingTool({ entry, options: { label: 'gpt' }, tool: 'parted', package: 'parted' });
});

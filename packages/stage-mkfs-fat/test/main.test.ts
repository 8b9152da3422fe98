import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deviceArgument, hasCommand, loopDevicesUnavailable, runStageLocally, sparseFile, testdir, useLoopDevices, skipReason } from '@osbuild-ts/plugin-kit/testing';
import { itFailsWithoutItsDevice, itNamesItsMissingTool } from '@osbuild-ts/plugin-kit/stage-cases';

const entry = join(import.meta.dirname, '..', 'dist', 'main.js');
const MiB = 1024 * 1024;
const skip = skipReason(loopDevicesUnavailable() ?? (hasCommand('mkfs.fat') && hasCommand('fsck.fat') && hasCommand('minfo') ? null : 'dosfstools or mtools is not installed'));

/** minfo's "key: value" and key="value" lines (mtools reads the device; the kernel here cannot mount FAT). */
function bootSector(device: string): Record<string, string> {
  // stderr: minfo says a loop device has no geometry ioctl.
  const text = execFileSync('minfo', ['-i', device, '::'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, MTOOLS_SKIP_CHECK: '1' } });
  return Object.fromEntries(text.split('\n').flatMap((line) => {
    const match = /^([a-z][a-z ]*?)(?::\s*|=)(.*)$/.exec(line);
    return match ? [[match[1]!, match[2]!.replace(/^"(.*)"$/, '$1').trimEnd()]] : [];
  }));
}

describe.skipIf(skip !== null)(`org.osbuild.mkfs.fat on a loop device${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const { attach, detach } = useLoopDevices();

  /** A 64 MiB partition at 1 MiB into a disk image, as the loopback device gives it. */
  function partition() {
    const dir = testdir('mkfs-fat');
    const file = sparseFile(dir, 'disk.img', 66 * MiB);
    return { tree: dir, file, device: attach(file, { offset: MiB, sizelimit: 64 * MiB }) };
  }

  it('makes a FAT32 file system with the volume id, label and geometry asked for, inside the partition', async () => {
    const { tree, file, device } = partition();
    const result = await runStageLocally({
      entry,
      tree,
      options: { volid: '7b7795e7', label: 'ESP', 'fat-size': 32, geometry: { heads: 255, 'sectors-per-track': 63 } },
      devices: deviceArgument(device),
    });
    expect(result.exitCode, result.output).toBe(0);
    const boot = bootSector(device);
    expect(boot).toMatchObject({ 'serial number': '7B7795E7', 'disk label': 'ESP', 'disk type': 'FAT32', heads: '255', 'sectors per track': '63' });
    expect(execFileSync('fsck.fat', ['-n', device], { encoding: 'utf8' })).toMatch(/1 files, 1\/\d+ clusters/);
    expect(execFileSync('blkid', ['-o', 'export', device], { encoding: 'utf8' })).toContain('LABEL=ESP\nUUID=7B77-95E7\nBLOCK_SIZE=512\nTYPE=vfat');
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, MiB).every((b) => b === 0)).toBe(true);
    expect(bytes.subarray(MiB + 510, MiB + 512)).toEqual(Buffer.from([0x55, 0xaa]));
    expect(bytes.subarray(65 * MiB).every((b) => b === 0)).toBe(true);
  });

  it('leaves the FAT size to mkfs.fat by default, and takes FAT12 or 16 when told', async () => {
    for (const [options, type] of [
      [{}, 'FAT16'],
      [{ 'fat-size': 12 }, 'FAT12'],
    ] as const) {
      const { tree, device } = partition();
      const result = await runStageLocally({ entry, tree, options: { volid: '2e24ec82', ...options }, devices: deviceArgument(device) });
      expect(result.exitCode, result.output).toBe(0);
      expect(bootSector(device)).toMatchObject({ 'disk type': type, 'serial number': '2E24EC82' });
      expect(bootSector(device)['disk label']).toBe('NO NAME');
    }
  });

  it('gives the same bytes twice with a source-epoch, the label dated with dosfstools\' constant', async () => {
    const images: Buffer[] = [];
    for (let i = 0; i < 2; i++) {
      const { tree, file, device } = partition();
      const result = await runStageLocally({ entry, tree, options: { volid: '2e24ec82', label: 'EFI' }, devices: deviceArgument(device), sourceEpoch: 1700000000 });
      expect(result.exitCode, result.output).toBe(0);
      expect(bootSector(device)).toMatchObject({ 'serial number': '2E24EC82', 'disk label': 'EFI' });
      detach(device);
      images.push(readFileSync(file));
    }
    expect(images[0]?.equals(images[1]!)).toBe(true);
    // The label's directory entry: modified 2015-03-14 09:26:52, as FAT packs dates and times.
    const label = images[0]!.indexOf('EFI        ', MiB + 512, 'latin1');
    expect(label).toBeGreaterThan(MiB + 512);
    expect(images[0]!.readUInt16LE(label + 24)).toBe(((2015 - 1980) << 9) | (3 << 5) | 14);
    expect(images[0]!.readUInt16LE(label + 22)).toBe((9 << 11) | (26 << 5) | (52 / 2));
  });

  it('dates the label with the time of the build without a source-epoch', async () => {
    const { tree, file, device } = partition();
    const years = [new Date().getFullYear() - 1980];
    const result = await runStageLocally({ entry, tree, options: { volid: '2e24ec82', label: 'EFI' }, devices: deviceArgument(device) });
    years.push(new Date().getFullYear() - 1980);
    expect(result.exitCode, result.output).toBe(0);
    detach(device);
    const image = readFileSync(file);
    const label = image.indexOf('EFI        ', MiB + 512, 'latin1');
    expect(years).toContain(image.readUInt16LE(label + 24) >> 9);
  });

  it('passes on mkfs.fat\'s refusal of a volume id that is not hex', async () => {
    const { tree, device } = partition();
    const result = await runStageLocally({ entry, tree, options: { volid: 'volumeid' }, devices: deviceArgument(device) });
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain('Volume ID must be a hexadecimal number');
    expect(result.output).toContain(`mkfs.fat -I -i volumeid ${device} failed (exit status 1)`);
  });

  itFailsWithoutItsDevice({ entry, options: { volid: '2e24ec82' }, role: 'the device to format' });
});

describe('org.osbuild.mkfs.fat without its tool', () => {
  itNamesItsMissingTool({ entry, options: { volid: '2e24ec82' }, tool: 'mkfs.fat', package: 'dosfstools' });
});

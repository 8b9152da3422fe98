import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corePlacementProblem, readDiskLabel, type DiskLabel } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'disk-label-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function disk(name: string, script: string, size = 64 * 1024 * 1024): string {
  const path = join(dir, name);
  writeFileSync(path, '');
  execFileSync('truncate', ['-s', String(size), path]);
  execFileSync('sfdisk', ['--quiet', path], { input: script });
  return path;
}

describe('readDiskLabel', () => {
  it('reads a dos table: partitions by slot, types in hex', () => {
    const label = readDiskLabel(disk('dos.img', 'label: dos\nstart=2048, size=8192, type=ef\nstart=10240, size=2048, type=82\nstart=12288, type=83, bootable\n'));
    expect(label).toEqual({
      label: 'dos',
      sectors: 131072,
      reserved: [],
      partitions: [
        { number: 1, start: 2048, end: 10239, type: 'ef' },
        { number: 2, start: 10240, end: 12287, type: '82' },
        { number: 3, start: 12288, end: 131071, type: '83' },
      ],
    });
  });

  it('reads a GPT behind its protective MBR: type GUIDs as sfdisk prints them, its own sectors reserved', () => {
    const path = disk('gpt.img', 'label: gpt\nstart=2048, size=2048, type=21686148-6449-6E6F-744E-656564454649\nstart=4096, size=8192, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B\n');
    const label = readDiskLabel(path);
    const sfdisk = (JSON.parse(execFileSync('sfdisk', ['--json', path], { encoding: 'utf8' })) as { partitiontable: { firstlba: number; lastlba: number } }).partitiontable;
    expect(label.label).toBe('gpt');
    expect(label.partitions).toEqual([
      { number: 1, start: 2048, end: 4095, type: '21686148-6449-6E6F-744E-656564454649' },
      { number: 2, start: 4096, end: 12287, type: 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B' },
    ]);
    expect(label.reserved[0]).toEqual({ start: 1, end: sfdisk.firstlba - 1, what: 'the GPT header and partition entries' });
    expect(label.reserved[1]?.start).toBe(sfdisk.lastlba + 1);
  });

  it('finds no label on a blank disk', () => {
    const path = join(dir, 'blank.img');
    writeFileSync(path, Buffer.alloc(1024 * 1024));
    expect(readDiskLabel(path)).toEqual({ label: null, sectors: 2048, partitions: [], reserved: [] });
  });
});

describe('corePlacementProblem', () => {
  const gpt: DiskLabel = {
    label: 'gpt',
    sectors: 131072,
    partitions: [
      { number: 1, start: 2048, end: 4095, type: '21686148-6449-6E6F-744E-656564454649' },
      { number: 2, start: 4096, end: 129023, type: '0FC63DAF-8483-4772-8E79-3D69D8477DE4' },
    ],
    reserved: [
      { start: 1, end: 2047, what: 'the GPT header and partition entries' },
      { start: 131039, end: Number.MAX_SAFE_INTEGER, what: 'the backup GPT' },
    ],
  };
  it('lets the core go wholly into a BIOS boot or PReP partition, or into free space', () => {
    expect(corePlacementProblem(gpt, 2048, 60_000, 512)).toBeNull();
    expect(corePlacementProblem(gpt, 129024, 4096, 512)).toBeNull();
    expect(corePlacementProblem({ ...gpt, label: 'dos', reserved: [], partitions: [{ number: 1, start: 2048, end: 9999, type: '41' }] }, 2048, 60_000, 512)).toBeNull();
  });

  it('says what the core would overwrite', () => {
    expect(corePlacementProblem(gpt, 0, 512, 512)).toBe('the core image (512 bytes, sectors 0–0) would overwrite the MBR: location must be 1 or more');
    expect(corePlacementProblem(gpt, 1, 30_000, 512)).toBe('the core image (30000 bytes, sectors 1–59) would overwrite the GPT header and partition entries (sectors 1–2047)');
    expect(corePlacementProblem(gpt, 2048, 2 * 1024 * 1024, 512)).toBe('the core image (2097152 bytes, sectors 2048–6143) does not fit in partition 1 (sectors 2048–4095)');
    expect(corePlacementProblem(gpt, 5000, 512, 512)).toBe('the core image (512 bytes, sectors 5000–5000) overlaps partition 2 (sectors 4096–129023, type 0FC63DAF-8483-4772-8E79-3D69D8477DE4), which is not a BIOS boot or PReP partition');
    expect(corePlacementProblem(gpt, 131035, 4096, 512)).toBe('the core image (4096 bytes, sectors 131035–131042) would overwrite the backup GPT (sectors 131039–131071)');
    expect(corePlacementProblem(gpt, 131000, 60_000, 512)).toBe('the core image (60000 bytes, sectors 131000–131117) does not fit on the disk (131072 sectors of 512 bytes)');
  });
});

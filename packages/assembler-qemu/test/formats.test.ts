import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MiB, ROOT_UUID, assembleTree, run, sampleTree, sha256File, testdir } from './helpers.js';

const SIZE = 64 * MiB;
let tree: string;
let scratch: string;
let reference: string;

function options(format: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { format, filename: `disk.${format}`, size: SIZE, ptuuid: '0x2e1f5c3a', root_fs_uuid: ROOT_UUID, ...extra };
}

function info(file: string, format?: string): Record<string, unknown> {
  // A fixed VHD has its footer at the end only: probing takes it for raw, so say which it is.
  const args = format ? ['-f', format] : [];
  return JSON.parse(execFileSync('qemu-img', ['info', ...args, '--output=json', file], { encoding: 'utf8' })) as Record<string, unknown>;
}

describe('image formats, each checked with qemu-img', () => {
  beforeAll(async () => {
    // One tree and one raw image to compare every format's content with.
    scratch = mkdtempSync('/var/tmp/osbuild-ts-formats-');
    tree = join(scratch, 'tree');
    sampleTree(tree);
    const { result, file } = await assembleTree(tree, options('raw'), { SOURCE_DATE_EPOCH: '1700000000' }, mkdtempSync(join(scratch, 'out-')));
    expect(result.exitCode, result.output).toBe(0);
    reference = file;
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('raw: a sparse file of the size asked for', () => {
    const i = info(reference);
    expect(i).toMatchObject({ format: 'raw', 'virtual-size': SIZE });
    expect(Number(i['actual-size'])).toBeLessThan(SIZE / 2);
  });

  it('raw.xz: xz of the raw image', async () => {
    const { result, file } = await assembleTree(tree, options('raw.xz'), { SOURCE_DATE_EPOCH: '1700000000' });
    expect(result.exitCode, result.output).toBe(0);
    expect(run('xz', ['-t', file]).status).toBe(0);
    const out = join(testdir('xz-'), 'disk.raw');
    execFileSync('sh', ['-c', 'xz -dc "$1" > "$2"', 'sh', file, out]);
    expect(sha256File(out)).toBe(sha256File(reference));
  });

  const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ['qcow2', {}, { format: 'qcow2', 'format-specific': { data: { compat: '1.1' } } }],
    ['qcow2', { qcow2_compat: '0.10' }, { format: 'qcow2', 'format-specific': { data: { compat: '0.10' } } }],
    ['vmdk', {}, { format: 'vmdk', 'format-specific': { data: { 'create-type': 'monolithicSparse' } } }],
    ['vmdk', { vmdk_subformat: 'streamOptimized' }, { format: 'vmdk', 'format-specific': { data: { 'create-type': 'streamOptimized' } } }],
    ['vdi', {}, { format: 'vdi' }],
    ['vpc', {}, { format: 'vpc', 'actual-size': expect.any(Number) }],
    ['vhdx', {}, { format: 'vhdx' }],
  ];
  it.each(cases)('%s %j: qemu-img info, check, and the same content as raw', async (format, extra, expected) => {
    const { result, file } = await assembleTree(tree, options(format, extra), { SOURCE_DATE_EPOCH: '1700000000' });
    expect(result.exitCode, result.output).toBe(0);
    const i = info(file, format === 'vpc' ? 'vpc' : undefined);
    expect(i).toMatchObject(expected);
    // vpc with force_size keeps the exact size; the others too.
    expect(i['virtual-size']).toBe(SIZE);
    if (format !== 'vpc') {
      const check = run('qemu-img', ['check', file]);
      expect(check.status, check.output).toBe(0);
      expect(check.output).toMatch(/No errors were found on the image/);
    }
    const compare = run('qemu-img', ['compare', '-f', 'raw', '-F', format, reference, file]);
    expect(compare.status, compare.output).toBe(0);
    expect(compare.output).toContain('Images are identical.');
  });
});

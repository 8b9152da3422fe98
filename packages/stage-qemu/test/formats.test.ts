import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkfsIntoPartition } from '@osbuild-ts/image-kit/testing';
import { runStageLocally } from '@osbuild-ts/plugin-kit/testing';

const entry = join(import.meta.dirname, '..', 'dist', 'main.js');
const MiB = 1024 * 1024;
const SIZE = 64 * MiB;

let scratch: string;
/** The image input as the engine gives a pipeline's file: a directory holding it, `data.files` naming it. */
let input: { path: string; data: { files: Record<string, Record<string, never>> } };
let raw: string;

function qemuImg(args: string[]): { status: number | null; stdout: string; output: string } {
  const result = spawnSync('qemu-img', args, { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, output: `${result.stdout}${result.stderr}` };
}

function info(file: string, format: string): Record<string, unknown> {
  // A fixed VHD has its footer at the end only: probing takes it for raw, so say which it is.
  return JSON.parse(execFileSync('qemu-img', ['info', '-f', format, '--output=json', file], { encoding: 'utf8' })) as Record<string, unknown>;
}

function check(file: string, format: string): { status: number | null; result: Record<string, unknown> | null; output: string } {
  const run = qemuImg(['check', '-f', format, '--output=json', file]);
  return { status: run.status, result: run.status === 0 ? (JSON.parse(run.stdout) as Record<string, unknown>) : null, output: run.output };
}

async function convert(format: Record<string, unknown>, filename = 'disk.out'): Promise<string> {
  const tree = mkdtempSync(join(scratch, 'tree-'));
  const result = await runStageLocally({ entry, tree, inputs: { image: input }, options: { filename, format } });
  expect(result.exitCode, result.output).toBe(0);
  return join(tree, filename);
}

function sameContent(file: string, format: string): void {
  const compare = qemuImg(['compare', '-f', 'raw', '-F', format, raw, file]);
  expect(compare.status, compare.output).toBe(0);
  expect(compare.output).toContain('Images are identical.');
}

describe('org.osbuild.qemu (v2): every format, checked with qemu-img', () => {
  beforeAll(() => {
    scratch = mkdtempSync('/var/tmp/osbuild-ts-stage-qemu-');
    // A partitioned disk with a file system holding data, as a pipeline's raw image would be.
    const pipelineTree = join(scratch, 'image-pipeline');
    mkdirSync(pipelineTree);
    raw = join(pipelineTree, 'disk.raw');
    writeFileSync(raw, '');
    execFileSync('truncate', ['-s', String(SIZE), raw]);
    execFileSync('sfdisk', ['--quiet', raw], { input: 'label: gpt\nstart=2048, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4\n' });
    const root = join(scratch, 'root');
    mkdirSync(join(root, 'data'), { recursive: true });
    writeFileSync(join(root, 'data/pattern'), Buffer.alloc(5 * MiB, 'osbuild-ts '));
    mkfsIntoPartition(raw, { offset: 2048 * 512, size: SIZE - 4096 * 512 }, { type: 'ext4', root });
    input = { path: pipelineTree, data: { files: { 'disk.raw': {} } } };
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('qcow2: compressed, compat 1.1 by default', async () => {
    const file = await convert({ type: 'qcow2' });
    expect(info(file, 'qcow2')).toMatchObject({ format: 'qcow2', 'virtual-size': SIZE, 'format-specific': { type: 'qcow2', data: { compat: '1.1' } } });
    const c = check(file, 'qcow2');
    expect(c.status, c.output).toBe(0);
    expect(c.result).toMatchObject({ 'check-errors': 0 });
    expect(c.result?.['corruptions'] ?? 0).toBe(0);
    expect(c.result?.['leaks'] ?? 0).toBe(0);
    expect(Number(c.result?.['compressed-clusters'])).toBeGreaterThan(0);
    sameContent(file, 'qcow2');
  });

  it('qcow2: compat 0.10, compression off', async () => {
    const file = await convert({ type: 'qcow2', compat: '0.10', compression: false });
    expect(info(file, 'qcow2')).toMatchObject({ format: 'qcow2', 'virtual-size': SIZE, 'format-specific': { data: { compat: '0.10' } } });
    const c = check(file, 'qcow2');
    expect(c.status, c.output).toBe(0);
    expect(c.result?.['compressed-clusters'] ?? 0).toBe(0);
    sameContent(file, 'qcow2');
  });

  const vmdkCases: [string, Record<string, unknown>, string, RegExp | null][] = [
    ['monolithicSparse by default', {}, 'monolithicSparse', /ddb.adapterType = "ide"/],
    ['streamOptimized', { subformat: 'streamOptimized' }, 'streamOptimized', null],
    ['the adapter type and version 6', { adapter_type: 'lsilogic', compat6: true, compression: false }, 'monolithicSparse', /ddb.adapterType = "lsilogic"[\s\S]*|ddb.virtualHWVersion = "6"/],
  ];
  it.each(vmdkCases)('vmdk: %s', async (_name, extra, createType, descriptor) => {
    const file = await convert({ type: 'vmdk', ...extra });
    expect(info(file, 'vmdk')).toMatchObject({ format: 'vmdk', 'virtual-size': SIZE, 'format-specific': { type: 'vmdk', data: { 'create-type': createType } } });
    const c = check(file, 'vmdk');
    expect(c.status, c.output).toBe(0);
    if (descriptor) {
      // The descriptor is text near the start of a sparse extent.
      const head = readFileSync(file).subarray(0, 64 * 1024).toString('latin1');
      expect(head).toMatch(descriptor);
      if (extra['compat6']) expect(head).toContain('ddb.virtualHWVersion = "6"');
    }
    sameContent(file, 'vmdk');
  });

  it('vmdk: monolithicFlat (uncompressed: flat extents cannot be) writes the descriptor and its flat extent next to it', async () => {
    const file = await convert({ type: 'vmdk', subformat: 'monolithicFlat', compression: false });
    expect(info(file, 'vmdk')).toMatchObject({ 'virtual-size': SIZE, 'format-specific': { data: { 'create-type': 'monolithicFlat' } } });
    expect(statSync(file.replace(/\.out$/, '-flat.out')).size).toBe(SIZE);
    sameContent(file, 'vmdk');
  });

  it('vdi', async () => {
    const file = await convert({ type: 'vdi' });
    expect(info(file, 'vdi')).toMatchObject({ format: 'vdi', 'virtual-size': SIZE });
    const c = check(file, 'vdi');
    expect(c.status, c.output).toBe(0);
    sameContent(file, 'vdi');
  });

  it('vpc: fixed with force_size by default, the exact size', async () => {
    const file = await convert({ type: 'vpc' });
    expect(info(file, 'vpc')).toMatchObject({ format: 'vpc', 'virtual-size': SIZE });
    // A fixed VHD is the data plus a 512-byte footer.
    expect(statSync(file).size).toBe(SIZE + 512);
    expect(readFileSync(file).subarray(SIZE, SIZE + 8).toString('latin1')).toBe('conectix');
    // qemu-img has no check for vpc: it says so.
    expect(check(file, 'vpc').output).toContain('This image format does not support checks');
    sameContent(file, 'vpc');
  });

  it('vpc: dynamic, and without force_size the CHS-rounded size', async () => {
    const dynamic = await convert({ type: 'vpc', subformat: 'dynamic' });
    expect(info(dynamic, 'vpc')).toMatchObject({ format: 'vpc', 'virtual-size': SIZE });
    expect(statSync(dynamic).size).toBeLessThan(SIZE / 2);
    sameContent(dynamic, 'vpc');
    const chs = await convert({ type: 'vpc', force_size: false });
    expect(Number(info(chs, 'vpc')['virtual-size'])).toBeGreaterThan(SIZE);
  });

  it('vhdx', async () => {
    const file = await convert({ type: 'vhdx' });
    expect(info(file, 'vhdx')).toMatchObject({ format: 'vhdx', 'virtual-size': SIZE });
    const c = check(file, 'vhdx');
    expect(c.status, c.output).toBe(0);
    sameContent(file, 'vhdx');
  });

  it('raw: the same bytes, sparse', async () => {
    const file = await convert({ type: 'raw' }, 'disk.img');
    expect(info(file, 'raw')).toMatchObject({ format: 'raw', 'virtual-size': SIZE });
    expect(Number(info(file, 'raw')['actual-size'])).toBeLessThan(SIZE / 2);
    expect(check(file, 'raw').output).toContain('This image format does not support checks');
    sameContent(file, 'raw');
  });

  it('passes OSBUILD_QEMU_IMG_COROUTINES to qemu-img, as upstream', async () => {
    const tree = mkdtempSync(join(scratch, 'tree-'));
    const result = await runStageLocally({ entry, tree, inputs: { image: input }, options: { filename: 'disk.qcow2', format: { type: 'qcow2' } }, env: { OSBUILD_QEMU_IMG_COROUTINES: '4' } });
    expect(result.exitCode, result.output).toBe(0);
    expect(result.output).toContain('qemu-img coroutines: 4');
  });

  describe('errors', () => {
    async function failure(inputs: Record<string, unknown>, options: Record<string, unknown> = { filename: 'disk.qcow2', format: { type: 'qcow2' } }, env: Record<string, string> = {}): Promise<string> {
      const tree = mkdtempSync(join(scratch, 'tree-'));
      const result = await runStageLocally({ entry, tree, inputs: inputs as never, options, env });
      expect(result.exitCode).toBe(1);
      return result.output;
    }

    it('names the input and what it must hold', async () => {
      expect(await failure({})).toContain('no input named "image" (inputs: none)');
      expect(await failure({ image: { path: input.path, data: { files: {} } } })).toContain('inputs.image must hold exactly one file, the raw disk image; its data.files has none');
      expect(await failure({ image: { path: input.path, data: { files: { a: {}, b: {} } } } })).toContain('its data.files has 2 (a, b)');
      expect(await failure({ image: { path: input.path, data: { files: { 'missing.raw': {} } } } })).toContain('inputs.image: missing.raw is not a file in the input');
    });

    it('names a target directory the tree lacks, and a qemu-img that fails', async () => {
      expect(await failure({ image: input }, { filename: 'images/disk.qcow2', format: { type: 'qcow2' } })).toContain('filename images/disk.qcow2: its directory is not in the tree');
      expect(await failure({ image: input }, { filename: 'disk.qcow2', format: { type: 'qcow2', compat: '9.9' } })).toMatch(/qemu-img convert -O qcow2 -c -o compat=9.9 .* failed \(exit status 1\)/);
    });
  });
});

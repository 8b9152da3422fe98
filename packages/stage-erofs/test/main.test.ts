import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loopDevicesUnavailable, richTree, runStageLocally, testdir, treeListing } from '@osbuild-ts/plugin-kit/testing';
import { erofsArguments } from '../src/erofs-arguments.js';

const entry = join(import.meta.dirname, '..', 'dist', 'main.js');
const EPOCH = 1_700_000_000;

async function image(input: string, options: Record<string, unknown>, sourceEpoch: number | undefined = EPOCH) {
  const tree = testdir('tree');
  const result = await runStageLocally({ entry, tree, inputs: { tree: { path: input } }, options, ...(sourceEpoch !== undefined ? { sourceEpoch } : {}) });
  return { result, file: join(tree, String(options['filename']).replace(/^\//, '')) };
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** The kernel's view of the image: mounted read-only, unmounted when the test ends. */
function mounted(file: string): string {
  const dir = testdir('mnt');
  execFileSync('mount', ['-t', 'erofs', '-o', 'loop,ro', file, dir]);
  onTestFinished(() => {
    execFileSync('umount', [dir]);
  });
  return dir;
}

describe('org.osbuild.erofs', () => {
  it.skipIf(loopDevicesUnavailable() !== null)('holds the input tree: owners, modes, xattrs, hard links, devices, symlinks; mtimes clamped to the epoch', async () => {
    const input = richTree(testdir('input'));
    const { result, file } = await image(input, { filename: '/root.erofs' });
    expect(result.exitCode, result.output).toBe(0);
    execFileSync('fsck.erofs', [file]);
    const root = mounted(file);
    expect(treeListing(root, { mtime: false })).toEqual(treeListing(input, { mtime: false }));
    const clamp = (line: string) => line.replace(/mtime=(\d+)/, (_, t: string) => `mtime=${Math.min(Number(t), EPOCH)}`);
    expect(treeListing(root)).toEqual(treeListing(input).map(clamp));
  });

  it('gives the same bytes for two copies of the tree made at different times, with and without a source epoch', async () => {
    const a = richTree(testdir('tree-a'));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const b = join(testdir('tree-b'), 'tree');
    execFileSync('cp', ['-a', a, b]);
    for (const [options, epoch] of [
      [{ filename: 'x.erofs' }, EPOCH],
      [{ filename: 'x.erofs' }, undefined],
      [{ filename: 'x.erofs', compression: { method: 'lz4hc', level: 9 } }, EPOCH],
    ] as const) {
      const first = await image(a, options, epoch);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const second = await image(b, options, epoch);
      expect(first.result.exitCode, first.result.output).toBe(0);
      expect(sha256(second.file), JSON.stringify([options, epoch])).toBe(sha256(first.file));
    }
  });

  it.skipIf(loopDevicesUnavailable() !== null)('leaves out excluded paths and takes a source location', async () => {
    const input = richTree(testdir('input'));
    const { result, file } = await image(input, { filename: 'x.erofs', exclude_paths: ['^dev', 'srv/empty'] });
    expect(result.exitCode, result.output).toBe(0);
    const listed = treeListing(mounted(file), { mtime: false }).map((l) => l.split(' ')[0]);
    expect(listed).not.toContain('dev/null');
    expect(listed).not.toContain('srv/empty');
    expect(listed).toContain('srv/tool');

    const tree = testdir('tree');
    mkdirSync(join(tree, 'out'));
    const fromInput = await runStageLocally({ entry, tree, inputs: { tree: { path: input } }, options: { filename: 'out/etc.erofs', source: 'input://tree/etc' }, paths: { inputs: '/' } });
    expect(fromInput.exitCode, fromInput.output).toBe(0);
    expect(treeListing(mounted(join(tree, 'out/etc.erofs')), { mtime: false })).toEqual(treeListing(join(input, 'etc'), { mtime: false }));
  });

  it('names the compressors this mkfs.erofs has when asked for another', async () => {
    const input = richTree(testdir('input'));
    const help = execFileSync('sh', ['-c', 'mkfs.erofs --help 2>&1 || true'], { encoding: 'utf8' });
    const missing = ['lzma', 'zstd'].find((m) => !new RegExp(`Available compressors are:.*\\b${m}\\b`).test(help));
    if (!missing) return; // a newer erofs-utils has them all
    const { result } = await image(input, { filename: 'x.erofs', compression: { method: missing } });
    expect(result.exitCode).toBe(1);
    expect(result.output).toMatch(new RegExp(`compression.method "${missing}": this build root's mkfs.erofs \\(erofs-utils\\) has only lz4`));
  });

  it('maps the options to upstream\'s command line', () => {
    expect(
      erofsArguments({ filename: 'x', compression: { method: 'lz4hc', level: 12 }, options: ['dedupe', 'fragments'], 'cluster-size': 65536, exclude_paths: ['a', 'b'] }, '/t/x', '/in', 'U'),
    ).toEqual(['/t/x', '/in', '--quiet', '-UU', '-z', 'lz4hc,12', '-E', 'dedupe,fragments', '-C', '65536', '--exclude-regex', 'a', '--exclude-regex', 'b']);
  });
});

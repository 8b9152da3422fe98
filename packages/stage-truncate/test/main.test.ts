import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStageLocally, testdir } from '@osbuild-ts/plugin-kit/testing';

const entry = join(import.meta.dirname, '..', 'dist', 'main.js');

function truncate(tree: string, filename: string, size: string) {
  return runStageLocally({ entry, tree, options: { filename, size } });
}

const GiB = 1024 ** 3;

describe('org.osbuild.truncate', () => {
  it.each([
    ['10737418240', 10 * GiB],
    ['10G', 10 * GiB],
    ['10GiB', 10 * GiB],
    ['512MB', 512 * 1000 ** 2],
    ['64K', 64 * 1024],
  ])('creates a sparse file of size %s', async (size, bytes) => {
    const tree = testdir('truncate-tree');
    const result = await truncate(tree, 'disk.img', size);
    expect(result.exitCode, result.output).toBe(0);
    const st = statSync(join(tree, 'disk.img'));
    expect(st.size).toBe(bytes);
    // Sparse: no blocks are allocated for the zeros.
    expect(st.blocks).toBe(0);
  });

  it('grows and shrinks an existing file, keeping what fits', async () => {
    const tree = testdir('truncate-tree');
    writeFileSync(join(tree, 'disk.img'), 'partition table\n');
    const grown = await truncate(tree, '/disk.img', '+1M');
    expect(grown.exitCode, grown.output).toBe(0);
    expect(statSync(join(tree, 'disk.img')).size).toBe(16 + 1024 * 1024);
    expect(readFileSync(join(tree, 'disk.img')).subarray(0, 16).toString()).toBe('partition table\n');

    const rounded = await truncate(tree, 'disk.img', '%1M');
    expect(rounded.exitCode, rounded.output).toBe(0);
    expect(statSync(join(tree, 'disk.img')).size).toBe(2 * 1024 * 1024);

    const atLeast = await truncate(tree, 'disk.img', '>1M');
    expect(atLeast.exitCode, atLeast.output).toBe(0);
    expect(statSync(join(tree, 'disk.img')).size).toBe(2 * 1024 * 1024);

    const shrunk = await truncate(tree, 'disk.img', '9');
    expect(shrunk.exitCode, shrunk.output).toBe(0);
    expect(readFileSync(join(tree, 'disk.img'), 'utf8')).toBe('partition');
  });

  it('writes into a directory of the tree', async () => {
    const tree = testdir('truncate-tree');
    mkdirSync(join(tree, 'images'));
    const result = await truncate(tree, 'images/disk.raw', '1M');
    expect(result.exitCode, result.output).toBe(0);
    expect(statSync(join(tree, 'images/disk.raw')).size).toBe(1024 * 1024);
  });

  it('fails on a size truncate cannot read, naming the file, the size and the tool', async () => {
    const tree = testdir('truncate-tree');
    const result = await truncate(tree, 'disk.img', 'ten gigabytes');
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain('could not set "disk.img" to size "ten gigabytes": truncate --size ten gigabytes');
    expect(result.output).toMatch(/truncate: invalid number/i);
  });

  it('fails on a filename outside the tree, naming a directory, or in a missing directory', async () => {
    const tree = testdir('truncate-tree');
    for (const [filename, message] of [
      ['../disk.img', 'filename "../disk.img" leaves the tree'],
      ['/', 'filename "/" names a directory, not a file'],
      ['images/disk.img', 'filename "images/disk.img": the tree has no directory /images to put it in'],
    ] as const) {
      const result = await truncate(tree, filename, '1M');
      expect(result.exitCode, filename).toBe(1);
      expect(result.output.trim()).toBe(message);
    }
  });

  it('fails naming the tool and its package when the build root lacks truncate', async () => {
    const result = await runStageLocally({ entry, tree: testdir('truncate-tree'), options: { filename: 'a', size: '1' }, env: { PATH: '/nonexistent' } });
    expect(result.exitCode).toBe(1);
    expect(result.output).toBe('truncate is not in the build root (searched /nonexistent); it comes with the package "coreutils"\n');
  });
});

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { richTree, runStageLocally, testdir, treeListing } from '@osbuild-ts/plugin-kit/testing';

const entry = join(import.meta.dirname, '..', 'dist', 'main.js');
const EPOCH = 1_700_000_000;

async function archive(input: string, options: Record<string, unknown>): Promise<string> {
  const tree = testdir('tree');
  const result = await runStageLocally({ entry, tree, inputs: { tree: { path: input } }, options, sourceEpoch: EPOCH });
  expect(result.exitCode, result.output).toBe(0);
  return join(tree, String(options['filename']));
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('org.osbuild.tar: reproducible archives', () => {
  it('unpacks to the input tree: owners, modes, xattrs, hard links, devices, symlinks', async () => {
    const input = richTree(testdir('input'));
    const file = await archive(input, { filename: 'root.tar', format: 'posix' });
    const out = testdir('out');
    execFileSync('tar', ['--numeric-owner', '--xattrs', '--xattrs-include=*', '-xpf', file, '-C', out]);
    expect(treeListing(out, { mtime: false })).toEqual(treeListing(input, { mtime: false }));
  });

  it('gives the same bytes for two copies of the tree made at different times, in every format and compression', async () => {
    const a = richTree(testdir('tree-a'));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const b = join(testdir('tree-b'), 'tree');
    execFileSync('cp', ['-a', a, b]);
    for (const options of [
      { filename: 'a.tar' },
      { filename: 'a.tar', format: 'posix', 'root-node': 'omit' },
      { filename: 'a.tar.gz' },
      { filename: 'a.tar.xz' },
      { filename: 'a.tar', compression: 'zstd', 'numeric-owner': true },
    ]) {
      expect(sha256(await archive(b, options)), JSON.stringify(options)).toBe(sha256(await archive(a, options)));
    }
  });
});

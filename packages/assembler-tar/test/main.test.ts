import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasCommand, richTree, runStageLocally, testdir, treeListing } from '@osbuild-ts/plugin-kit/testing';

const entry = join(import.meta.dirname, '..', 'dist', 'main.js');
const EPOCH = 1_700_000_000;

async function assemble(tree: string, options: Record<string, unknown>, env: Record<string, string> = {}) {
  const output = testdir('output');
  const result = await runStageLocally({ entry, tree: output, inputs: { tree: { path: tree } }, options, sourceEpoch: EPOCH, env });
  return { result, file: join(output, String(options['filename'])) };
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Extracts as root, keeping owners, modes, xattrs, devices and links. */
function extract(file: string): string {
  const dir = testdir('extracted');
  execFileSync('tar', ['--numeric-owner', '--xattrs', '--xattrs-include=*', '--acls', '--selinux', '-xpf', file, '-C', dir]);
  return dir;
}

const compressions = [
  ['gzip', '1f8b'],
  ['xz', 'fd377a585a00'],
  ['bzip2', '425a68'],
  // Debian's GNU tar runs xz for --lzma (built --with-lzma=xz), upstream's command included.
  ['lzma', 'fd37'],
  ['lzip', '4c5a4950'],
  ['lzop', '894c5a4f'],
] as const;

describe('org.osbuild.tar (assembler)', () => {
  it('archives the whole tree: owners, modes, xattrs, hard links, devices, symlinks; mtimes clamped to the epoch', async () => {
    const tree = richTree(testdir('tree'));
    const { result, file } = await assemble(tree, { filename: 'root.tar' });
    expect(result.exitCode, result.output).toBe(0);
    const out = extract(file);
    expect(treeListing(out, { mtime: false })).toEqual(treeListing(tree, { mtime: false }));
    // Older than the epoch: kept. Newer (made by this test): the epoch.
    expect(lstatSync(join(out, 'etc/app/config file')).mtimeMs / 1000).toBe(1_000_000_000);
    expect(lstatSync(join(out, 'etc/hostname')).mtimeMs / 1000).toBe(EPOCH);
    // Members in name order, ./ first, as upstream names them.
    const names = execFileSync('tar', ['-tf', file], { encoding: 'utf8' }).trimEnd().split('\n');
    expect(names[0]).toBe('./');
    expect(names).toEqual([...names].sort());
  });

  it('gives the same bytes for two copies of the tree made at different times, for every compression', async () => {
    const a = richTree(testdir('tree-a'));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const b = join(testdir('tree-b'), 'tree');
    // cp -a lists a's directories in the order tmpfs gives: other inode numbers, ctimes and directory order.
    execFileSync('cp', ['-a', a, b]);
    for (const [compression, magic] of [[undefined, '2e2f'], ...compressions] as const) {
      if (compression && !hasCommand(compression)) continue;
      const options = { filename: 'root.tar', ...(compression ? { compression } : {}) };
      const first = await assemble(a, options);
      const second = await assemble(b, options);
      expect(first.result.exitCode, first.result.output).toBe(0);
      expect(readFileSync(first.file).subarray(0, magic.length / 2).toString('hex'), String(compression)).toBe(magic);
      expect(sha256(second.file), String(compression)).toBe(sha256(first.file));
    }
  });

  it('names the Debian package of a compressor the build root lacks', async () => {
    const tree = testdir('tree');
    mkdirSync(join(tree, 'etc'));
    // A PATH with tar but none of the compressors.
    const bin = testdir('bin');
    execFileSync('ln', ['-s', '/usr/bin/tar', join(bin, 'tar')]);
    for (const [compression, pkg] of [['lzip', 'lzip'], ['lzop', 'lzop'], ['xz', 'xz-utils']] as const) {
      const { result } = await assemble(tree, { filename: 'root.tar', compression }, { PATH: bin });
      expect(result.exitCode).toBe(1);
      expect(result.output).toContain(`compression "${compression}": ${compression} is not in the build root (searched ${bin}); it comes with the package "${pkg}"`);
    }
  });

  it('leaves out ACLs, SELinux labels and xattrs when told', async () => {
    const tree = richTree(testdir('tree'));
    const { result, file } = await assemble(tree, { filename: 'plain.tar', acls: false, selinux: false, xattrs: false });
    expect(result.exitCode, result.output).toBe(0);
    expect(readFileSync(file).includes('user.osbuild')).toBe(false);
  });
});

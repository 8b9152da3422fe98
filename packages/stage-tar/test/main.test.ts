import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  closeSync,
  ftruncateSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { hasCommand, runStageLocally } from '@osbuild-ts/plugin-kit/testing';

const entry = join(import.meta.dirname, '..', 'dist', 'main.js');
const hasSetfattr = hasCommand('setfattr');

/** A temporary directory, removed when the test ends. */
function testdir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `tar-${prefix}-`));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** An input tree with owners, odd modes and both kinds of link. */
function sampleTree(): string {
  const root = testdir('input');
  chmodSync(root, 0o755);
  mkdirSync(join(root, 'etc'));
  writeFileSync(join(root, 'etc/hostname'), 'box\n');
  mkdirSync(join(root, 'srv'));
  writeFileSync(join(root, 'srv/tool'), '#!/bin/sh\n');
  // chown before chmod: chown clears the setuid bit.
  chownSync(join(root, 'srv/tool'), 1234, 5678);
  chmodSync(join(root, 'srv/tool'), 0o4750);
  chmodSync(join(root, 'srv'), 0o710);
  symlinkSync('tool', join(root, 'srv/link'));
  linkSync(join(root, 'etc/hostname'), join(root, 'srv/hard'));
  return root;
}

async function archive(options: Record<string, unknown>, input = sampleTree()): Promise<{ tree: string; input: string }> {
  const tree = testdir('tree');
  const result = await runStageLocally({ entry, tree, inputs: { tree: { path: input } }, options });
  expect(result.output).toBe('');
  expect(result.exitCode).toBe(0);
  return { tree, input };
}

interface Member {
  mode: string;
  owner: string;
  name: string;
}

/** `tar -tv` of an archive (tar detects compression itself), in archive order. */
function list(file: string, ...flags: string[]): Member[] {
  const text = execFileSync('tar', [...flags, '-tvf', file], { encoding: 'utf8' });
  return text
    .trimEnd()
    .split('\n')
    .map((line) => {
      const [mode = '', owner = '', , , , ...name] = line.split(/ +/);
      return { mode, owner, name: name.join(' ') };
    });
}

function names(file: string): string[] {
  return list(file).map((m) => m.name);
}

/** The magic of the first tar header: GNU's `ustar  \0` or POSIX's `ustar\000`. */
function headerMagic(file: string): string {
  return readFileSync(file).subarray(257, 265).toString('latin1');
}

/** The type of the first header: `5` a directory, `x` a pax extended header. */
function typeFlag(file: string): string {
  return readFileSync(file).subarray(156, 157).toString('latin1');
}

describe('org.osbuild.tar', () => {
  it('archives the tree input with names, modes, owners and links', async () => {
    const { tree } = await archive({ filename: 'image.tar' });
    expect(readdirSync(tree)).toEqual(['image.tar']);
    const members = list(join(tree, 'image.tar'), '--numeric-owner').sort((a, b) => (a.name < b.name ? -1 : 1));
    expect(members).toEqual([
      { mode: 'drwxr-xr-x', owner: '0/0', name: './' },
      { mode: 'drwxr-xr-x', owner: '0/0', name: './etc/' },
      { mode: '-rw-r--r--', owner: '0/0', name: './etc/hostname' },
      { mode: 'drwx--x---', owner: '0/0', name: './srv/' },
      { mode: 'hrw-r--r--', owner: '0/0', name: './srv/hard link to ./etc/hostname' },
      { mode: 'lrwxrwxrwx', owner: '0/0', name: './srv/link -> tool' },
      { mode: '-rwsr-x---', owner: '1234/5678', name: './srv/tool' },
    ].sort((a, b) => (a.name < b.name ? -1 : 1)));
  });

  it('writes the format asked for', async () => {
    // ACLs, SELinux and xattrs off: with any of them on, GNU tar puts a pax
    // header before every member, whatever the format.
    const plain = { acls: false, selinux: false, xattrs: false };
    const input = sampleTree();
    const expected: [string, string, string][] = [
      ['gnu', 'ustar  \0', '5'],
      ['oldgnu', 'ustar  \0', '5'],
      ['ustar', 'ustar\u000000', '5'],
      ['posix', 'ustar\u000000', 'x'],
      ['v7', '\0'.repeat(8), '5'],
    ];
    for (const [format, magic, type] of expected) {
      const { tree } = await archive({ filename: 'f.tar', format, ...plain }, input);
      const file = join(tree, 'f.tar');
      expect([headerMagic(file), typeFlag(file)], format).toEqual([magic, type]);
    }
    const { tree } = await archive({ filename: 'f.tar' }, input);
    expect(typeFlag(join(tree, 'f.tar'))).toBe('x');
  });

  it('compresses by suffix with auto, and as told otherwise', async () => {
    const magic: Record<string, string> = { xz: 'fd377a585a00', gzip: '1f8b', zstd: '28b52ffd' };
    const input = sampleTree();
    const cases: [Record<string, unknown>, string][] = [
      [{ filename: 'a.tar.xz' }, 'xz'],
      [{ filename: 'a.tar.gz' }, 'gzip'],
      [{ filename: 'a.tar.zst' }, 'zstd'],
      [{ filename: 'a.tar', compression: 'xz' }, 'xz'],
      [{ filename: 'a.tar', compression: 'gzip' }, 'gzip'],
      [{ filename: 'a.tar', compression: 'zstd' }, 'zstd'],
    ];
    for (const [options, kind] of cases) {
      const { tree } = await archive(options, input);
      const file = join(tree, 'a' + String(options['filename']).slice(1));
      const expected = magic[kind] ?? '';
      expect(readFileSync(file).subarray(0, expected.length / 2).toString('hex'), JSON.stringify(options)).toBe(expected);
      expect(names(file)).toContain('./etc/hostname');
    }
    const { tree } = await archive({ filename: 'plain.tar' }, input);
    expect(headerMagic(join(tree, 'plain.tar'))).toMatch(/^ustar/);
  });

  it('names members without ./ for root-node omit, and only the given paths in order', async () => {
    const input = sampleTree();
    writeFileSync(join(input, '-odd'), '');
    const omitted = await archive({ filename: 'o.tar', 'root-node': 'omit' }, input);
    const omitNames = names(join(omitted.tree, 'o.tar'));
    expect(omitNames.slice().sort()).toEqual(['-odd', 'etc/', 'etc/hostname', 'srv/', 'srv/hard link to etc/hostname', 'srv/link -> tool', 'srv/tool']);
    const chosen = await archive({ filename: 'p.tar', paths: ['srv/tool', 'etc'] }, input);
    expect(names(join(chosen.tree, 'p.tar'))).toEqual(['srv/tool', 'etc/', 'etc/hostname']);
  });

  it('stores names unless numeric-owner, and rewrites names with transform', async () => {
    const input = sampleTree();
    const named = await archive({ filename: 'n.tar' }, input);
    expect(list(join(named.tree, 'n.tar')).find((m) => m.name === './etc/hostname')?.owner).toBe('root/root');
    const numeric = await archive({ filename: 'n.tar', 'numeric-owner': true, transform: 's,^\\./etc,./config,' }, input);
    const members = list(join(numeric.tree, 'n.tar'));
    expect(members.find((m) => m.name === './config/hostname')?.owner).toBe('0/0');
    expect(members.some((m) => m.name.startsWith('./etc'))).toBe(false);
  });

  it.skipIf(!hasSetfattr)('keeps extended attributes unless xattrs is false', async () => {
    const input = sampleTree();
    execFileSync('setfattr', ['-n', 'user.osbuild', '-v', 'kept', join(input, 'etc/hostname')]);
    const kept = await archive({ filename: 'x.tar' }, input);
    expect(execFileSync('tar', ['--xattrs', '-tvvf', join(kept.tree, 'x.tar')], { encoding: 'utf8' })).toContain('x: 4 user.osbuild');
    expect(readFileSync(join(kept.tree, 'x.tar')).includes('SCHILY.xattr.user.osbuild=kept')).toBe(true);
    const dropped = await archive({ filename: 'x.tar', xattrs: false, acls: false, selinux: false }, input);
    expect(readFileSync(join(dropped.tree, 'x.tar')).includes('user.osbuild')).toBe(false);
  });

  it('stores holes as holes with sparse', async () => {
    const input = testdir('input');
    const fd = openSync(join(input, 'disk.img'), 'w');
    writeSync(fd, 'data');
    ftruncateSync(fd, 16 * 1024 * 1024);
    closeSync(fd);
    const sparse = await archive({ filename: 's.tar', sparse: true }, input);
    const dense = await archive({ filename: 'd.tar' }, input);
    expect(statSync(join(sparse.tree, 's.tar')).size).toBeLessThan(64 * 1024);
    expect(statSync(join(dense.tree, 'd.tar')).size).toBeGreaterThan(16 * 1024 * 1024);
  });

  it('writes a filename with a leading / into a directory of the tree', async () => {
    const tree = testdir('tree');
    mkdirSync(join(tree, 'out'));
    const result = await runStageLocally({ entry, tree, inputs: { tree: { path: sampleTree() } }, options: { filename: '/out/image.tar' } });
    expect(result.exitCode).toBe(0);
    expect(names(join(tree, 'out/image.tar'))).toContain('./srv/tool');
  });

  it('fails clearly without a tree input, or when tar fails', async () => {
    const tree = testdir('tree');
    const missing = await runStageLocally({ entry, tree, options: { filename: 'x.tar' } });
    expect(missing.exitCode).toBe(1);
    expect(missing.output).toContain('no input named "tree"');
    const input = sampleTree();
    const failed = await runStageLocally({ entry, tree, inputs: { tree: { path: input } }, options: { filename: 'x.tar', paths: ['nope'] } });
    expect(failed.exitCode).toBe(1);
    expect(failed.output).toContain('nope: Cannot stat');
    expect(failed.output).toContain(`tar --format=gnu --acls --selinux --xattrs --xattrs-include * --auto-compress --sort=name --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime -cf ${tree}/x.tar -C ${input} nope failed (exit status 2)`);
  });
});

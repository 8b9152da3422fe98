// The stage end to end with the real mksquashfs: what unsquashfs lists and
// extracts is the input tree (owners, modes, device nodes, symlinks, hard
// links, extended attributes), and the same tree gives the same bytes.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, linkSync, lstatSync, mkdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasCommand, runStageLocally, testdir } from '@osbuild-ts/plugin-kit/testing';

const entry = join(import.meta.dirname, '..', 'dist', 'main.js');
const EPOCH = 1700000000;
const unavailable = !hasCommand('mksquashfs') || !hasCommand('unsquashfs') ? 'needs squashfs-tools' : process.getuid?.() !== 0 ? 'needs root (owners, device nodes)' : null;

/** An input tree with owners, odd modes, both kinds of link, device nodes, a fifo and extended attributes. */
function sampleTree(): string {
  const root = testdir('squashfs-input');
  chmodSync(root, 0o755);
  mkdirSync(join(root, 'etc'));
  writeFileSync(join(root, 'etc/hostname'), 'box\n');
  mkdirSync(join(root, 'srv'));
  writeFileSync(join(root, 'srv/tool'), '#!/bin/sh\n'.repeat(1000));
  chownSync(join(root, 'srv/tool'), 1234, 5678);
  chmodSync(join(root, 'srv/tool'), 0o4750);
  chmodSync(join(root, 'srv'), 0o710);
  symlinkSync('tool', join(root, 'srv/link'));
  symlinkSync('/nowhere', join(root, 'srv/dangling'));
  linkSync(join(root, 'etc/hostname'), join(root, 'srv/hard'));
  mkdirSync(join(root, 'dev'));
  execFileSync('mknod', ['-m', '0666', join(root, 'dev/null'), 'c', '1', '3']);
  execFileSync('mknod', ['-m', '0660', join(root, 'dev/loop9'), 'b', '7', '9']);
  execFileSync('mkfifo', ['-m', '0600', join(root, 'dev/fifo')]);
  mkdirSync(join(root, 'empty'));
  chownSync(join(root, 'empty'), 42, 43);
  if (hasCommand('setfattr')) execFileSync('setfattr', ['-n', 'user.osbuild', '-v', 'squash', join(root, 'etc/hostname')]);
  return root;
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** `unsquashfs -lln` without the dates: mode, owner, size (or device numbers), path (and symlink target). */
function squashListing(image: string): string[] {
  const text = execFileSync('unsquashfs', ['-lln', image], { encoding: 'utf8' });
  return text
    .split('\n')
    .filter((line) => /^[-dlcbps][-rwxsStT]{9} /.test(line))
    .map((line) => {
      const m = /^(\S+) (\d+\/\d+) +(.+?) \d{4}-\d\d-\d\d \d\d:\d\d squashfs-root(.*)$/.exec(line);
      if (!m) throw new Error(`unexpected unsquashfs line: ${line}`);
      const [, mode, owner, size, path] = m as unknown as [string, string, string, string, string];
      return `${mode} ${owner} ${size.replace(/\s+/g, '')} ${path || '/'}`;
    })
    .sort();
}

/** The same listing made from the tree with find and stat. */
function treeListing(root: string): string[] {
  const text = execFileSync('find', [root, '-printf', '%M %U/%G %s %P\\0%l\\n'], { encoding: 'utf8' });
  return text
    .trimEnd()
    .split('\n')
    .map((line) => {
      const [head = '', target = ''] = line.split('\0');
      const [mode = '', owner = '', size = '', ...rest] = head.split(' ');
      const path = '/' + rest.join(' ');
      let shown = size;
      if (mode.startsWith('c') || mode.startsWith('b')) {
        const rdev = lstatSync(join(root, path)).rdev;
        shown = `${(rdev >> 8) & 0xfff},${(rdev & 0xff) | ((rdev >> 12) & 0xfff00)}`;
      } else if (mode.startsWith('d') || mode.startsWith('p')) {
        shown = '*';
      }
      const name = path === '/' ? '/' : path;
      return `${mode} ${owner} ${shown} ${name}${mode.startsWith('l') ? ` -> ${target}` : ''}`;
    })
    .sort();
}

async function squash(input: string, options: Record<string, unknown> = {}, sourceEpoch: number | undefined = EPOCH): Promise<string> {
  const tree = testdir('squashfs-tree');
  const result = await runStageLocally({ entry, tree, inputs: { tree: { path: input } }, options: { filename: 'LiveOS/squashfs.img', ...options }, ...(sourceEpoch === undefined ? {} : { sourceEpoch }) });
  expect(result.exitCode, result.output).toBe(0);
  return join(tree, 'LiveOS/squashfs.img');
}

describe.skipIf(unavailable !== null)(`org.osbuild.squashfs${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  it('holds the input tree: owners, modes, sizes, device nodes, symlinks', async () => {
    const input = sampleTree();
    const image = await squash(input);
    const listed = squashListing(image).map((l) => l.replace(/^(d\S+ \S+) \S+/, '$1 *').replace(/^(p\S+ \S+) \S+/, '$1 *')).sort();
    expect(listed).toEqual(treeListing(input));
    expect(listed).toContain('-rwsr-x--- 1234/5678 10000 /srv/tool');
    expect(listed).toContain('crw-rw-rw- 0/0 1,3 /dev/null');
    expect(listed).toContain('brw-rw---- 0/0 7,9 /dev/loop9');
    expect(listed).toContain('lrwxrwxrwx 0/0 8 /srv/dangling -> /nowhere');
  });

  it('keeps hard links and extended attributes', async () => {
    const input = sampleTree();
    const image = await squash(input);
    const out = join(testdir('squashfs-out'), 'root');
    execFileSync('unsquashfs', ['-no-progress', '-d', out, image], { stdio: 'ignore' });
    expect(lstatSync(join(out, 'srv/hard')).ino).toBe(lstatSync(join(out, 'etc/hostname')).ino);
    expect(lstatSync(join(out, 'srv/hard')).nlink).toBe(2);
    if (hasCommand('getfattr')) {
      expect(execFileSync('getfattr', ['--only-values', '-n', 'user.osbuild', join(out, 'etc/hostname')], { encoding: 'utf8' })).toBe('squash');
    }
  });

  it('dates the image and every inode with the source epoch', async () => {
    const image = await squash(sampleTree());
    const info = execFileSync('unsquashfs', ['-s', image], { encoding: 'utf8' });
    expect(info).toMatch(/Creation or last append time Tue Nov 14 22:13:20 2023/);
    const dates = new Set(execFileSync('unsquashfs', ['-lln', image], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } }).match(/\d{4}-\d\d-\d\d \d\d:\d\d/g));
    expect([...dates]).toEqual(['2023-11-14 22:13']);
  });

  it('gives the same bytes for the same tree, whenever and however often it runs', async () => {
    const input = sampleTree();
    const first = await squash(input, { compression: { method: 'xz', options: { bcj: 'x86' } } });
    // The tree's times change (as a rebuild's would); the content does not.
    utimesSync(join(input, 'etc/hostname'), new Date(), new Date());
    const second = await squash(input, { compression: { method: 'xz', options: { bcj: 'x86' } } });
    expect(sha256(second)).toBe(sha256(first));
    expect(execFileSync('unsquashfs', ['-s', first], { encoding: 'utf8' })).toMatch(/Compression xz[\s\S]*Filters selected: x86/);
  });

  it('uses the compressor asked for, and leaves out what exclude_paths matches', async () => {
    const input = sampleTree();
    const image = await squash(input, { compression: { method: 'zstd' }, exclude_paths: ['^dev/.*', 'srv/link'] });
    expect(execFileSync('unsquashfs', ['-s', image], { encoding: 'utf8' })).toMatch(/Compression zstd/);
    const listed = squashListing(image).map((l) => l.split(' ').slice(3).join(' '));
    expect(listed).toContain('/dev');
    expect(listed).not.toContain('/dev/null');
    expect(listed).not.toContain('/srv/link -> tool');
    expect(listed).toContain('/srv/tool');
  });

  it('takes the source from another location when asked', async () => {
    const input = sampleTree();
    const tree = testdir('squashfs-tree');
    const result = await runStageLocally({ entry, tree, inputs: { tree: { path: input } }, options: { filename: '/s.img', source: 'input://tree/srv' }, sourceEpoch: EPOCH });
    expect(result.exitCode, result.output).toBe(0);
    expect(squashListing(join(tree, 's.img')).map((l) => l.split(' ').slice(3).join(' ')).sort()).toEqual(['/', '/hard', '/link -> tool', '/dangling -> /nowhere', '/tool'].sort());
  });

  it('names the problem when the filename leaves the tree', async () => {
    const tree = testdir('squashfs-tree');
    const result = await runStageLocally({ entry, tree, inputs: { tree: { path: sampleTree() } }, options: { filename: '../x.img' } });
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toMatch(/filename "\.\.\/x\.img": expected a file name inside the tree/);
  });
});

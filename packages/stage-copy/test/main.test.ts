import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasCommand, runStageLocally, testdir } from '@osbuild-ts/plugin-kit/testing';

const entry = join(import.meta.dirname, '..', 'dist', 'main.js');
const hasSetfattr = hasCommand('setfattr') && hasCommand('getfattr');

/** A small tree with what `cp -a` must preserve: owners, odd modes, times, links. */
function sampleTree(root: string): void {
  mkdirSync(join(root, 'srv/data'), { recursive: true });
  writeFileSync(join(root, 'srv/data/tool'), '#!/bin/sh\n');
  // chown before chmod: chown clears the setuid bit.
  chownSync(join(root, 'srv/data/tool'), 1234, 5678);
  chmodSync(join(root, 'srv/data/tool'), 0o4750);
  chownSync(join(root, 'srv/data'), 4321, 8765);
  chmodSync(join(root, 'srv/data'), 0o710);
  writeFileSync(join(root, 'srv/data/a'), 'shared\n');
  linkSync(join(root, 'srv/data/a'), join(root, 'srv/data/b'));
  symlinkSync('tool', join(root, 'srv/data/link'));
  const when = new Date('2001-02-03T04:05:06Z');
  utimesSync(join(root, 'srv/data/a'), when, when);
}

describe('org.osbuild.copy', () => {
  it('copies a directory with owners, modes, times, symlinks and hard links', async () => {
    const tree = testdir('tree');
    sampleTree(tree);
    const result = await runStageLocally({ entry, tree, options: { paths: [{ from: 'tree:///srv/data', to: 'tree:///copy' }] } });
    expect(result.exitCode).toBe(0);
    expect(result.output).toContain(`copying '${tree}/srv/data' -> '${tree}/copy'`);

    const dir = statSync(join(tree, 'copy'));
    expect([dir.mode & 0o7777, dir.uid, dir.gid]).toEqual([0o710, 4321, 8765]);
    const tool = statSync(join(tree, 'copy/tool'));
    expect([tool.mode & 0o7777, tool.uid, tool.gid]).toEqual([0o4750, 1234, 5678]);
    expect(statSync(join(tree, 'copy/a')).mtime.toISOString()).toBe('2001-02-03T04:05:06.000Z');
    expect(lstatSync(join(tree, 'copy/link')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(tree, 'copy/link'))).toBe('tool');
    const a = statSync(join(tree, 'copy/a'));
    const b = statSync(join(tree, 'copy/b'));
    expect(a.ino).toBe(b.ino);
    expect(a.ino).not.toBe(statSync(join(tree, 'srv/data/a')).ino);
  });

  it.skipIf(!hasSetfattr)('keeps extended attributes', async () => {
    const tree = testdir('tree');
    writeFileSync(join(tree, 'f'), 'x');
    execFileSync('setfattr', ['-n', 'user.osbuild', '-v', 'kept', join(tree, 'f')]);
    const result = await runStageLocally({ entry, tree, options: { paths: [{ from: 'tree:///f', to: 'tree:///g' }] } });
    expect(result.exitCode).toBe(0);
    expect(execFileSync('getfattr', ['--only-values', '-n', 'user.osbuild', join(tree, 'g')], { encoding: 'utf8' })).toBe('kept');
  });

  it('copies the contents for a trailing slash, the directory itself without', async () => {
    const tree = testdir('tree');
    sampleTree(tree);
    mkdirSync(join(tree, 'with'));
    mkdirSync(join(tree, 'without'));
    const result = await runStageLocally({
      entry,
      tree,
      options: {
        paths: [
          { from: 'tree:///srv/data/', to: 'tree:///with/' },
          { from: 'tree:///srv/data', to: 'tree:///without/' },
        ],
      },
    });
    expect(result.exitCode).toBe(0);
    expect(readdirSync(join(tree, 'with')).sort()).toEqual(['a', 'b', 'link', 'tool']);
    expect(readdirSync(join(tree, 'without'))).toEqual(['data']);
    // Copying contents onto an existing directory takes the source directory's mode too.
    expect(statSync(join(tree, 'with')).mode & 0o7777).toBe(0o710);
  });

  it('copies from an input into a mount, in order', async () => {
    const tree = testdir('tree');
    const input = testdir('input');
    const mount = testdir('mount');
    mkdirSync(join(input, 'etc'));
    writeFileSync(join(input, 'etc/hostname'), 'box\n');
    chmodSync(join(input, 'etc/hostname'), 0o600);
    const result = await runStageLocally({
      entry,
      tree,
      inputs: { tree: { path: input } },
      mounts: { root: { path: mount } },
      options: {
        paths: [
          { from: 'input://tree/etc/', to: 'mount://root/' },
          { from: 'mount://root/hostname', to: 'tree:///hostname' },
        ],
      },
    });
    expect(result.exitCode).toBe(0);
    expect(readFileSync(join(mount, 'hostname'), 'utf8')).toBe('box\n');
    expect(statSync(join(mount, 'hostname')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(tree, 'hostname'), 'utf8')).toBe('box\n');
  });

  // The shapes the engine gives: a files input named by checksum, a mount whose path ends in "/." (spec 8.2),
  // and a real file system under it, so cp's reflink falls back to a copy across file systems.
  it.skipIf(process.getuid?.() !== 0 || !hasCommand('mkfs.ext4'))('copies a files input into a mounted ext4 file system', async () => {
    const tree = testdir('tree');
    const input = testdir('input');
    writeFileSync(join(input, 'sha256:0123'), 'kernel image\n', { mode: 0o644 });
    const dir = testdir('fs');
    const image = join(dir, 'fs.img');
    execFileSync('truncate', ['--size', '16M', image]);
    execFileSync('mkfs.ext4', ['-q', image]);
    const mounts = join(dir, 'mounts');
    mkdirSync(mounts);
    execFileSync('mount', ['-o', 'loop', image, mounts]);
    try {
      const result = await runStageLocally({
        entry,
        tree,
        inputs: { kernel: { path: input, data: { files: { 'sha256:0123': {} } } } },
        mounts: { root: { path: `${mounts}/.` } },
        options: {
          paths: [
            { from: 'input://kernel/sha256:0123', to: 'mount://root/vmlinuz' },
            { from: 'tree:///', to: 'mount://root/' },
          ],
        },
      });
      expect(result.exitCode, result.output).toBe(0);
      expect(readFileSync(join(mounts, 'vmlinuz'), 'utf8')).toBe('kernel image\n');
      expect(execFileSync('findmnt', ['-n', '-o', 'FSTYPE', '--target', join(mounts, 'vmlinuz')], { encoding: 'utf8' }).trim()).toBe('ext4');
      expect(readdirSync(mounts).sort()).toEqual(['lost+found', 'vmlinuz']);
    } finally {
      execFileSync('umount', [mounts]);
    }
  });

  it('writes through a symlink at the destination unless remove_destination', async () => {
    const tree = testdir('tree');
    writeFileSync(join(tree, 'new'), 'new\n');
    writeFileSync(join(tree, 'target'), 'old\n');
    symlinkSync('target', join(tree, 'followed'));
    symlinkSync('target', join(tree, 'replaced'));
    const result = await runStageLocally({
      entry,
      tree,
      options: {
        paths: [
          { from: 'tree:///new', to: 'tree:///followed' },
          { from: 'tree:///new', to: 'tree:///replaced', remove_destination: true },
        ],
      },
    });
    expect(result.exitCode).toBe(0);
    expect(lstatSync(join(tree, 'followed')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(tree, 'target'), 'utf8')).toBe('new\n');
    expect(lstatSync(join(tree, 'replaced')).isFile()).toBe(true);
    expect(readFileSync(join(tree, 'replaced'), 'utf8')).toBe('new\n');
  });

  it('refuses a destination reached through a symlink out of the tree, naming it; writes nothing outside', async () => {
    const outside = testdir('outside');
    writeFileSync(join(outside, 'victim'), 'host\n');
    const tree = testdir('tree');
    writeFileSync(join(tree, 'new'), 'new\n');
    symlinkSync(outside, join(tree, 'dir-out'));
    symlinkSync(join(outside, 'victim'), join(tree, 'file-out'));
    symlinkSync('/usr/share/zoneinfo/UTC', join(tree, 'localtime'));
    for (const to of ['tree:///dir-out/x', 'tree:///dir-out/', 'tree:///file-out', 'tree:///../../dir-out/x']) {
      const result = await runStageLocally({ entry, tree, options: { paths: [{ from: 'tree:///new', to }] } });
      expect(result.exitCode, to).toBe(1);
      expect(result.output, to).toMatch(new RegExp(`${to.replaceAll('.', '\\.')}: refused: (dir|file)-out is a symlink to ${outside}`));
    }
    expect(readdirSync(outside)).toEqual(['victim']);
    expect(readFileSync(join(outside, 'victim'), 'utf8')).toBe('host\n');
    // An absolute link at the destination itself is replaced with remove_destination, not followed.
    const replaced = await runStageLocally({ entry, tree, options: { paths: [{ from: 'tree:///new', to: 'tree:///localtime', remove_destination: true }] } });
    expect(replaced.exitCode, replaced.output).toBe(0);
    expect(readFileSync(join(tree, 'localtime'), 'utf8')).toBe('new\n');
  });

  it('fails naming a location it was not given', async () => {
    const tree = testdir('tree');
    for (const [from, to, message] of [
      ['input://nope/x', 'tree:///x', 'input://nope/x: no input named "nope" (inputs: none)'],
      ['tree:///x', 'mount://nope/x', 'mount://nope/x: no mount named "nope" (mounts: none)'],
      ['tree://host/x', 'tree:///x', 'tree://host/x: tree:// takes no name'],
    ] as const) {
      const result = await runStageLocally({ entry, tree, options: { paths: [{ from, to }] } });
      expect(result.exitCode).toBe(1);
      expect(result.output).toContain(message);
    }
  });

  it('fails when cp fails, naming the command, and stops there', async () => {
    const tree = testdir('tree');
    writeFileSync(join(tree, 'present'), 'x');
    const result = await runStageLocally({
      entry,
      tree,
      options: {
        paths: [
          { from: 'tree:///missing', to: 'tree:///copy' },
          { from: 'tree:///present', to: 'tree:///later' },
        ],
      },
    });
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain(`cp -a --reflink=auto ${tree}/missing ${tree}/copy failed (exit status 1)`);
    expect(existsSync(join(tree, 'later'))).toBe(false);
  });
});

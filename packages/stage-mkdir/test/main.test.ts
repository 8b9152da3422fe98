import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasCommand, runStageLocally, sparseFile, testdir } from '@osbuild-ts/plugin-kit/testing';

const entry = join(import.meta.dirname, '..', 'dist', 'main.js');

describe('org.osbuild.mkdir', () => {
  it('creates directories with their mode, parents when asked', async () => {
    const root = testdir('mkdir-tree');
    const result = await runStageLocally({
      entry,
      tree: root,
      options: { paths: [{ path: '/srv/www', mode: 0o750, parents: true }, { path: 'tree:///opt', mode: 0o700 }] },
    });
    expect(result.exitCode).toBe(0);
    expect(statSync(join(root, 'srv/www')).mode & 0o777).toBe(0o750 & ~process.umask());
    expect(statSync(join(root, 'opt')).isDirectory()).toBe(true);
  });

  it('makes nothing outside the tree: .. stays at the root (with a warning), a symlink out is refused by name', async () => {
    const outside = testdir('outside');
    const root = testdir('mkdir-tree');
    symlinkSync(outside, join(root, 'out'));
    symlinkSync(`../..${outside}`, join(root, 'up'));
    const climbing = await runStageLocally({ entry, tree: root, options: { paths: [{ path: 'tree:///../../escaped', parents: true }] } });
    expect(climbing.exitCode, climbing.output).toBe(0);
    expect(climbing.output).toContain('WARNING: tree:///../../escaped: ".." above the root of the location is ignored');
    expect(statSync(join(root, 'escaped')).isDirectory()).toBe(true);
    for (const path of ['/out/sub', 'tree:///out', '/up/a/b']) {
      const result = await runStageLocally({ entry, tree: root, options: { paths: [{ path, parents: true, exist_ok: true }] } });
      expect(result.exitCode, path).toBe(1);
      expect(result.output, path).toMatch(new RegExp(`${path}: refused: (out|up) is a symlink to .*, which leads out of ${root}; nothing was written through it`));
    }
    expect(readdirSync(outside)).toEqual([]);
  });

  it('fails on an existing directory unless exist_ok, and without parents', async () => {
    const root = testdir('mkdir-tree');
    mkdirSync(join(root, 'etc'));
    const exists = await runStageLocally({ entry, tree: root, options: { paths: [{ path: '/etc' }] } });
    expect(exists.exitCode).toBe(1);
    expect(exists.output).toContain('/etc: already exists');
    const ok = await runStageLocally({ entry, tree: root, options: { paths: [{ path: '/etc', exist_ok: true }] } });
    expect(ok.exitCode).toBe(0);
    const noParent = await runStageLocally({ entry, tree: root, options: { paths: [{ path: '/a/b' }] } });
    expect(noParent.exitCode).toBe(1);
    expect(noParent.output).toContain('parent directory does not exist');
  });

  it('accepts relative paths with a warning, as osbuild does', async () => {
    const root = testdir('mkdir-tree');
    const result = await runStageLocally({ entry, tree: root, options: { paths: [{ path: 'var/lib/x', parents: true }] } });
    expect(result.exitCode).toBe(0);
    expect(result.output).toContain('WARNING: relative path');
    expect(statSync(join(root, 'var/lib/x')).isDirectory()).toBe(true);
  });

  it('refuses a path that climbs out of the tree', async () => {
    const root = testdir('mkdir-tree');
    const result = await runStageLocally({ entry, tree: root, options: { paths: [{ path: 'mount://nope/x' }] } });
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain('no mount named "nope"');
  });
});

describe('org.osbuild.mkdir in mounts', () => {
  it('creates directories in a named mount, and under the mounts root with mount:///', async () => {
    const tree = testdir('tree');
    const mounts = testdir('mounts');
    mkdirSync(join(mounts, 'boot/efi'), { recursive: true });
    const result = await runStageLocally({
      entry,
      tree,
      options: {
        paths: [
          { path: 'mount://efi/EFI/debian', parents: true, mode: 0o700 },
          { path: 'mount:///boot/grub2' },
          { path: 'mount://root/srv', exist_ok: true },
        ],
      },
      mounts: { root: { path: `${mounts}/.` }, efi: { path: join(mounts, 'boot/efi') } },
      paths: { mounts },
    });
    expect(result.exitCode, result.output).toBe(0);
    expect(statSync(join(mounts, 'boot/efi/EFI/debian')).mode & 0o777).toBe(0o700 & ~process.umask());
    expect(statSync(join(mounts, 'boot/grub2')).isDirectory()).toBe(true);
    expect(statSync(join(mounts, 'srv')).isDirectory()).toBe(true);
    expect(readdirSync(tree)).toEqual([]);
  });

  // Upstream's test_mkdir_on_a_mount: a real ext4 file system, mounted as the mounts root.
  it.skipIf(process.getuid?.() !== 0 || !hasCommand('mkfs.ext4'))('creates directories on a mounted ext4 file system', async () => {
    const dir = testdir('mount');
    const image = sparseFile(dir, 'fs.img', 16 * 1024 * 1024);
    execFileSync('mkfs.ext4', ['-q', image]);
    const mounts = join(dir, 'mounts');
    mkdirSync(mounts);
    execFileSync('mount', ['-o', 'loop', image, mounts]);
    try {
      const result = await runStageLocally({
        entry,
        tree: testdir('tree'),
        options: { paths: [{ path: 'mount:///fake_parent/fake_dir', parents: true }] },
        paths: { mounts },
      });
      expect(result.exitCode, result.output).toBe(0);
      expect(statSync(join(mounts, 'fake_parent/fake_dir')).isDirectory()).toBe(true);
      expect(execFileSync('findmnt', ['-n', '-o', 'FSTYPE', '--target', join(mounts, 'fake_parent')], { encoding: 'utf8' }).trim()).toBe('ext4');
    } finally {
      execFileSync('umount', [mounts]);
    }
  });

  it('refuses mount:/// when the stage has no mounts root', async () => {
    const result = await runStageLocally({ entry, tree: testdir('tree'), options: { paths: [{ path: 'mount:///x' }] } });
    expect(result.exitCode).toBe(1);
    expect(result.output.trim()).toBe('mount:///x: the stage was given no mounts root (paths.mounts) for a mount:/// path');
  });
});

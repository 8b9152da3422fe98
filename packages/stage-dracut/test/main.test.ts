import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDebianTree, runStageLocally, treeDiff } from '@osbuild-ts/plugin-kit/testing';
import { runInSandbox } from '@osbuild-ts/sandbox';
import { entry, testdir, unavailable } from './stage-cases.js';
import { initramfsFile, initramfsMembers } from './initramfs.js';

// A Debian tree with a kernel and the tree's own dracut: the stage runs dracut from the tree, never the host's.
const TREE = { include: ['linux-image-amd64', 'dracut'] };
const skip = unavailable(['unshare', 'chroot', 'cpio', 'gzip', 'bwrap']);

/** Everything a small initramfs can show: dracut modules, drivers, file systems, included and installed files. */
const options = (kver: string) => ({
  kernel: [kver],
  compress: 'gzip',
  modules: ['base', 'kernel-modules'],
  omit_modules: ['bash'],
  drivers: ['virtio_blk'],
  add_drivers: ['loop'],
  omit_drivers: ['crc32c_intel'],
  force_drivers: ['squashfs'],
  filesystems: ['ext4'],
  include: [{ '/etc/hostname': '/etc/osbuild-test/hostname' }],
  install: ['/usr/bin/sha256sum'],
  reproducible: true,
  extra: ['--no-hostonly-cmdline'],
});

const mountsUnder = (dir: string): string[] =>
  readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .filter((point) => point.startsWith(dir));

describe.skipIf(skip !== null)(`org.osbuild.dracut${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let work = '';
  let kver = '';
  const tree = (name: string) => join(work, name);

  beforeAll(async () => {
    work = mkdtempSync('/var/tmp/stage-dracut-');
    // Two copies: the second is the "before" of the first run, then runs the same options and must give its bytes.
    await makeDebianTree(tree('one'), TREE);
    await makeDebianTree(tree('two'), TREE);
    [kver = ''] = readdirSync(join(tree('two'), 'usr/lib/modules'));
  }, 1_800_000);
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  }, 300_000);

  it('refuses a kernel the tree does not have, before running anything', async () => {
    const result = await runStageLocally({ entry, tree: tree('two'), options: { kernel: ['9.9.9-no-such'] }, env: { PATH: '/usr/sbin:/usr/bin' } });
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain('kernel "9.9.9-no-such": the tree has no /usr/lib/modules/9.9.9-no-such');
  });

  it('builds the initramfs with the tree\'s dracut, with the requested modules, drivers and files', async () => {
    const result = await runStageLocally({ entry, tree: tree('one'), options: options(kver), env: { PATH: '/usr/sbin:/usr/bin' } });
    expect(result.exitCode, result.output).toBe(0);
    expect(result.output).toContain(`Building initramfs for ${kver}`);
    expect(result.output).toContain(`--kver ${kver}`);
    expect(mountsUnder(work), 'mounts left behind').toEqual([]);

    // Only the image changed, as upstream's a/b tests would show it.
    const image = `/boot/initrd.img-${kver}`;
    const diff = treeDiff(tree('two'), tree('one'));
    expect(diff.added_files).toEqual([]);
    expect(diff.deleted_files).toEqual([]);
    expect(Object.keys(diff.differences)).toEqual([image]);
    expect(Object.keys(diff.differences[image] ?? {})).toEqual(['content']);

    const file = join(tree('one'), image);
    const members = initramfsMembers(file);
    const modules = `usr/lib/modules/${kver}/kernel`;
    expect(members).toContain(`${modules}/drivers/block/virtio_blk.ko`);
    expect(members).toContain(`${modules}/drivers/block/loop.ko`);
    expect(members).toContain(`${modules}/fs/squashfs/squashfs.ko`);
    expect(members).toContain(`${modules}/fs/ext4/ext4.ko`);
    // Otherwise pulled in for ext4's crc32c.
    expect(members.filter((m) => m.endsWith('/crc32c-intel.ko'))).toEqual([]);
    expect(members.filter((m) => m.endsWith('/crc32c_generic.ko'))).toHaveLength(1);
    expect(members).toContain('usr/bin/sha256sum');
    expect(initramfsFile(file, 'etc/osbuild-test/hostname')).toBe(readFileSync(join(tree('one'), 'etc/hostname'), 'utf8'));
    expect(initramfsFile(file, 'etc/cmdline.d/20-force_drivers.conf')).toContain('rd.driver.pre=squashfs');
    const dracutModules = initramfsFile(file, 'usr/lib/dracut/modules.txt').split('\n');
    expect(dracutModules).toEqual(expect.arrayContaining(['base', 'kernel-modules']));
    expect(dracutModules).not.toContain('bash');
  });

  it('in the build sandbox (bubblewrap), with reproducible on, a second build gives the same bytes', async () => {
    const lines: string[] = [];
    const result = await runInSandbox({
      entry,
      packageDir: join(import.meta.dirname, '..'),
      root: null,
      name: 'org.osbuild.dracut',
      tree: tree('two'),
      arguments: {
        tree: '/run/osbuild/tree',
        paths: { devices: '/dev', inputs: '/run/osbuild/inputs', mounts: '/run/osbuild/mounts' },
        devices: {},
        inputs: {},
        mounts: {},
        options: options(kver),
        meta: { id: '0'.repeat(64) },
      },
      tempDir: work,
      onOutput: (line) => lines.push(line),
    });
    expect(result.exitCode, lines.slice(-30).join('\n')).toBe(0);
    const image = `boot/initrd.img-${kver}`;
    const one = readFileSync(join(tree('one'), image));
    const two = readFileSync(join(tree('two'), image));
    expect(statSync(join(tree('two'), image)).size).toBeGreaterThan(0);
    expect(two.equals(one), 'the two images differ').toBe(true);
  });

  it('fails naming the kernel and dracut when dracut fails', async () => {
    const result = await runStageLocally({ entry, tree: tree('two'), options: { kernel: [kver], modules: ['no-such-dracut-module'] }, env: { PATH: '/usr/sbin:/usr/bin' } });
    expect(result.exitCode).toBe(1);
    expect(result.output).toMatch(new RegExp(`initramfs for kernel ${kver.replaceAll('.', '\\.')}: /usr/bin/dracut --no-hostonly .* failed \\(exit status 1\\)`));
    expect(mountsUnder(work), 'mounts left behind').toEqual([]);
  });

});

describe('org.osbuild.dracut on a tree without dracut', () => {
  it('says the tree needs dracut (or initoverlayfs), not the host', async () => {
    const dir = testdir('dracut-empty');
    mkdirSync(join(dir, 'usr/bin'), { recursive: true });
    let result = await runStageLocally({ entry, tree: dir, options: { kernel: ['6.1.0-1-amd64'] }, env: { PATH: '/usr/sbin:/usr/bin' } });
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain('the tree has no /usr/bin/dracut: install dracut into it before this stage');
    result = await runStageLocally({ entry, tree: dir, options: { kernel: ['6.1.0-1-amd64'], initoverlayfs: true }, env: { PATH: '/usr/sbin:/usr/bin' } });
    expect(result.output).toContain('the tree has no /usr/bin/initoverlayfs-install: install initoverlayfs');
    expect(existsSync(join(dir, 'proc'))).toBe(false);
  });
});


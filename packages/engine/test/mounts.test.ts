import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { build, loopsUnder, makeProject, manifest, mountsUnder, shell, tempDir } from './helpers.js';

const loopback = (options: Record<string, unknown> = {}) => ({ type: 'org.osbuild.loopback', options: { filename: 'disk.img', ...options } });
const mount = (name: string, type: string, target: string, extra: Record<string, unknown> = {}) => ({ name, type, source: name, target, ...extra });

/** Reads a file from a file system image (at a byte offset) by mounting it read-only for a moment. */
function readFromImage(image: string, path: string, fsType: string, offset = 0): string {
  const dir = tempDir('engine-check-');
  const point = join(dir, 'mnt');
  mkdirSync(point);
  execFileSync('mount', ['-t', fsType, '-o', `ro,loop,offset=${offset}`, image, point]);
  try {
    return readFileSync(join(point, path), 'utf8');
  } finally {
    execFileSync('umount', [point]);
  }
}

function expectNothingLeft(store: string): void {
  expect(loopsUnder(store)).toEqual([]);
  expect(mountsUnder(store)).toEqual([]);
}

describe('file system mounts', () => {
  it('ext4: mkdir and copy write through mount://root/; the files are in the image afterwards', async () => {
    const project = makeProject();
    const store = tempDir('engine-store-');
    const out = tempDir('engine-out-');
    const services = { devices: { root: loopback() }, mounts: [mount('root', 'org.osbuild.ext4', '/')] };
    const stages = [
      shell('truncate -s 32M disk.img && mkfs.ext4 -q -F disk.img && echo hello > hello.txt'),
      { type: 'org.osbuild.mkdir', options: { paths: [{ path: 'mount://root/etc', mode: 0o755 }] }, ...services },
      { type: 'org.osbuild.copy', options: { paths: [{ from: 'tree:///hello.txt', to: 'mount://root/etc/hello.txt' }] }, ...services },
      shell('cat "$MOUNT_root/etc/hello.txt"', services),
    ];
    const result = await build(project.dir, manifest(stages), { store, outputDirectory: out });
    expect(result.ran).toEqual([1, 2, 3, 4]);
    const meta = result.stages[3]!.metadata as { mounts: unknown; stdout: string };
    expect(meta.mounts).toEqual({ root: { path: '/run/osbuild/mounts/.' } });
    expect(meta.stdout).toBe('hello\n');
    expect(result.stages[1]!.output).toMatch(/mount\/root \(org\.osbuild\.ext4\): mounting \/dev\/loop\d+ -> /);
    const image = join(out, 'tree', 'disk.img');
    expect(execFileSync('debugfs', ['-R', 'cat /etc/hello.txt', image], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })).toBe('hello\n');
    expectNothingLeft(store);
  });

  it('xfs and btrfs: a stage writes through the mount; the file is in each image', async () => {
    const project = makeProject();
    const store = tempDir('engine-store-');
    const out = tempDir('engine-out-');
    const stages = [
      shell('truncate -s 300M xfs.img && mkfs.xfs -q xfs.img && truncate -s 128M btrfs.img && mkfs.btrfs -q btrfs.img'),
      {
        type: 'org.osbuild.mkdir',
        options: { paths: [{ path: 'mount://x/made-on-xfs' }, { path: 'mount://b/made-on-btrfs' }] },
        devices: { x: loopback({ filename: 'xfs.img' }), b: loopback({ filename: 'btrfs.img' }) },
        mounts: [mount('x', 'org.osbuild.xfs', '/xfs'), mount('b', 'org.osbuild.btrfs', '/btrfs', { options: { compress: 'zstd' } })],
      },
    ];
    await build(project.dir, manifest(stages), { store, outputDirectory: out });
    expect(execFileSync('xfs_db', ['-r', '-c', 'ls /', join(out, 'tree', 'xfs.img')], { encoding: 'utf8' })).toMatch(/ made-on-xfs \(good\)$/m);
    const dir = tempDir('engine-check-');
    mkdirSync(join(dir, 'mnt'));
    execFileSync('mount', ['-o', 'ro,loop', join(out, 'tree', 'btrfs.img'), join(dir, 'mnt')]);
    try {
      expect(execFileSync('ls', [join(dir, 'mnt')], { encoding: 'utf8' })).toBe('made-on-btrfs\n');
    } finally {
      execFileSync('umount', [join(dir, 'mnt')]);
    }
    expectNothingLeft(store);
  });

  it('nested mounts: / then /boot, in manifest order, on two partitions of one disk', async () => {
    const project = makeProject();
    const store = tempDir('engine-store-');
    const out = tempDir('engine-out-');
    const table = 'label: gpt\nstart=2048, size=40960\nstart=43008, size=40960\n';
    const stages = [
      shell(
        [
          'truncate -s 48M disk.img',
          `printf '${table.replace(/\n/g, '\\n')}' | sfdisk -q disk.img`,
          `mkfs.ext4 -q -F -L root -E offset=${2048 * 512} disk.img 20M`,
          `mkfs.ext4 -q -F -L boot -E offset=${43008 * 512} disk.img 20M`,
        ].join('\n'),
      ),
      shell('echo kernel > "$MOUNT_boot/vmlinuz" && echo etc > "$MOUNT_root/marker" && findmnt -rno TARGET,SOURCE | grep /run/osbuild/mounts', {
        devices: { root: loopback({ start: 2048, size: 40960 }), boot: loopback({ start: 43008, size: 40960 }) },
        mounts: [mount('root', 'org.osbuild.ext4', '/'), mount('boot', 'org.osbuild.ext4', '/boot')],
      }),
    ];
    const result = await build(project.dir, manifest(stages), { store, outputDirectory: out });
    const meta = result.stages[1]!.metadata as { mounts: unknown; stdout: string };
    expect(meta.mounts).toEqual({ root: { path: '/run/osbuild/mounts/.' }, boot: { path: '/run/osbuild/mounts/boot' } });
    expect(meta.stdout.split('\n').map((line) => line.split(' ')[0])).toEqual(['/run/osbuild/mounts', '/run/osbuild/mounts/boot', '']);
    const image = join(out, 'tree', 'disk.img');
    expect(readFromImage(image, 'vmlinuz', 'ext4', 43008 * 512)).toBe('kernel\n');
    expect(readFromImage(image, 'marker', 'ext4', 2048 * 512)).toBe('etc\n');
    // The root file system got the mount point /boot, made before /boot was mounted.
    expect(execFileSync('sh', ['-c', `debugfs -R 'stat /boot' "$(losetup --find --show --read-only --offset ${2048 * 512} ${image})"`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })).toMatch(/Type: directory/);
    for (const loop of loopsUnder(out)) execFileSync('losetup', ['--detach', loop.name]);
    expectNothingLeft(store);
  });

  it('partition: a mount of partition 2 of a whole-disk device goes through a loop device over that partition', async () => {
    const project = makeProject();
    const store = tempDir('engine-store-');
    const out = tempDir('engine-out-');
    const stages = [
      shell(['truncate -s 48M disk.img', "printf 'label: dos\\nstart=2048, size=20480\\nstart=22528, size=40960\\n' | sfdisk -q disk.img", `mkfs.ext4 -q -F -E offset=${22528 * 512} disk.img 20M`].join('\n')),
      shell('echo two > "$MOUNT_data/on-partition-2"', {
        devices: { disk: loopback({ partscan: true }) },
        mounts: [{ name: 'data', type: 'org.osbuild.ext4', source: 'disk', target: '/', partition: 2 }],
      }),
    ];
    const result = await build(project.dir, manifest(stages), { store, outputDirectory: out });
    expect(readFromImage(join(out, 'tree', 'disk.img'), 'on-partition-2', 'ext4', 22528 * 512)).toBe('two\n');
    expectNothingLeft(store);
    // Nor the partition's loop device, whose backing file was the disk's.
    const disk = /device\/disk \(org\.osbuild\.loopback\): (loop\d+) acquired/.exec(result.stages[1]!.output)![1]!;
    expect(loopsUnder(`/dev/${disk}`)).toEqual([]);
  });
});

describe('teardown, whatever happens', () => {
  const services = { devices: { root: loopback() }, mounts: [mount('root', 'org.osbuild.ext4', '/')] };
  const image = shell('truncate -s 32M disk.img && mkfs.ext4 -q -F disk.img');

  it('a stage that exits 1 with ext4 mounted on a loop device leaves no loop device and no mount', async () => {
    const project = makeProject();
    const store = tempDir('engine-store-');
    const stages = [image, shell('touch "$MOUNT_root/partial" && exit 1', services)];
    await expect(build(project.dir, manifest(stages), { store })).rejects.toMatchObject({ code: 'E_STAGE_FAILED' });
    expectNothingLeft(store);
  });

  it('a stage killed by --stage-timeout leaves none either', async () => {
    const project = makeProject();
    const store = tempDir('engine-store-');
    const stages = [image, shell('cd "$MOUNT_root" && sleep 60', services)];
    await expect(build(project.dir, manifest(stages), { store, stageTimeoutMs: 1500 })).rejects.toMatchObject({ code: 'E_STAGE_TIMEOUT' });
    expectNothingLeft(store);
  });

  it('a mount that fails (wrong file system type) after its device opened: the device is released, the error names the mount', async () => {
    const project = makeProject();
    const store = tempDir('engine-store-');
    const stages = [image, shell('echo never', { devices: { root: loopback() }, mounts: [mount('root', 'org.osbuild.xfs', '/')] })];
    const error = (await build(project.dir, manifest(stages), { store }).catch((e: unknown) => e)) as Error & { code: string };
    expect(error.code).toBe('E_HOST_SERVICE');
    expect(error.message).toContain('pipelines[0].stages[1].mounts[0] (org.osbuild.xfs, "root"): mount --make-private -t xfs ');
    expectNothingLeft(store);
  });
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openHostService, type MountReply } from '@osbuild-ts/plugin-kit/host-service';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const entry = join(import.meta.dirname, '..', 'dist', 'main.js');
const schema = schemaCases(import.meta.dirname);

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mount-ext4-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A loop device over `image`, detached after the test. */
function attach(image: string): string {
  const device = execFileSync('losetup', ['--find', '--show', image], { encoding: 'utf8' }).trim();
  onTestFinished(() => void execFileSync('losetup', ['--detach', device]));
  return device;
}

function mountLine(point: string): string | undefined {
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').find((line) => line.split(' ')[4] === point);
}

/** Loop devices backed by `file` (directly or through another loop device's name). */
function loopsOf(file: string): string[] {
  const list = JSON.parse(execFileSync('losetup', ['--json', '--list'], { encoding: 'utf8' }) || '{"loopdevices":[]}');
  return (list.loopdevices as { name: string; 'back-file': string }[]).filter((d) => d['back-file'].includes(file)).map((d) => d.name);
}

function request(dir: string, source: string, extra: Record<string, unknown> = {}) {
  const root = join(dir, 'mounts');
  return { apiVersion: 1, kind: 'mount', name: 'root', type: 'org.osbuild.ext4', options: {}, tree: dir, source, partition: null, target: '/', root, mountpoint: root, ...extra };
}

function ext4Image(dir: string, size = '64M'): string {
  const image = join(dir, 'disk.img');
  execFileSync('truncate', ['-s', size, image]);
  execFileSync('mkfs.ext4', ['-q', '-F', image]);
  return image;
}

describe('org.osbuild.ext4', () => {
  it('mounts the device privately, and on close syncs, unmounts and exits 0', async () => {
    const dir = tempDir();
    const image = ext4Image(dir);
    const device = attach(image);
    const service = await openHostService<MountReply>(entry, request(dir, device));
    const root = join(dir, 'mounts');
    expect(service.reply).toEqual({ path: root });
    const line = mountLine(root);
    expect(line).toContain(' - ext4 ');
    // No shared:/master: tag: nothing propagates to or from the host.
    expect(line?.split(' - ')[0]?.split(' ').slice(6)).toEqual([]);
    writeFileSync(join(root, 'hello'), 'world');
    const closed = await service.close();
    expect(closed.exitCode).toBe(0);
    expect(closed.stderr).toContain(`mounting ${device} -> ${root}`);
    expect(mountLine(root)).toBeUndefined();
    expect(execFileSync('debugfs', ['-R', 'cat /hello', image], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })).toBe('world');
  });

  it('readonly mounts read-only', async () => {
    const dir = tempDir();
    const device = attach(ext4Image(dir));
    const service = await openHostService<MountReply>(entry, request(dir, device, { options: { readonly: true, norecovery: true } }));
    try {
      expect(mountLine(join(dir, 'mounts'))?.split(' ')[5]).toMatch(/^ro\b/);
      expect(() => writeFileSync(join(dir, 'mounts', 'x'), 'x')).toThrow(/EROFS/);
    } finally {
      expect((await service.close()).exitCode).toBe(0);
    }
  });

  it('mounts a partition through a loop device over its byte range, released on close', async () => {
    const dir = tempDir();
    const image = join(dir, 'disk.img');
    execFileSync('truncate', ['-s', '64M', image]);
    execFileSync('sfdisk', ['-q', image], { input: 'label: gpt\nstart=2048, size=20480\nstart=22528, size=40960\n' });
    execFileSync('mkfs.ext4', ['-q', '-F', '-E', `offset=${22528 * 512}`, image, `${(40960 * 512) / 1024}k`]);
    const device = attach(image);
    const service = await openHostService<MountReply>(entry, request(dir, device, { partition: 2 }));
    expect(service.reply).toEqual({ path: join(dir, 'mounts') });
    writeFileSync(join(dir, 'mounts', 'in-partition-2'), '2');
    expect(loopsOf(device)).toHaveLength(1);
    expect((await service.close()).exitCode).toBe(0);
    expect(loopsOf(device)).toEqual([]);
    const check = execFileSync('sh', ['-c', `debugfs -R 'cat /in-partition-2' "$(losetup --find --show --offset ${22528 * 512} --sizelimit ${40960 * 512} --read-only ${image})"`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(check).toBe('2');
    for (const loop of loopsOf(image).filter((name) => name !== device)) execFileSync('losetup', ['--detach', loop]);
  });

  it('a partition the table does not have, or a wrong file system, is an error reply; nothing stays mounted', async () => {
    const dir = tempDir();
    const device = attach(ext4Image(dir));
    const missing = await openHostService<MountReply>(entry, request(dir, device, { partition: 3 }));
    expect(missing.reply).toMatchObject({ error: expect.stringMatching(/^partition 3: cannot read the partition table of \/dev\/loop\d+: .*does not contain a recognized partition table/) });
    expect((await missing.close()).exitCode).toBe(1);

    const blank = join(dir, 'blank.img');
    execFileSync('truncate', ['-s', '8M', blank]);
    const wrong = await openHostService<MountReply>(entry, request(dir, attach(blank)));
    expect(wrong.reply).toMatchObject({ error: expect.stringMatching(/^mount --make-private -t ext4 .* failed \(exit status 32\)/) });
    expect((await wrong.close()).exitCode).toBe(1);
    expect(mountLine(join(dir, 'mounts'))).toBeUndefined();
  });

  it('a request without a source device is refused', async () => {
    const dir = tempDir();
    const service = await openHostService<MountReply>(entry, request(dir, '', { source: null }));
    expect(service.reply).toEqual({ error: 'needs a "source" device' });
    await service.close();
  });

  it('the options schema is upstream\'s', () => {
    schema.accepts('options', [{ readonly: true, norecovery: false }, {}]);
    schema.refuses('options', [{ subvol: 'x' }, { readonly: 'yes' }]);
  });
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { fileSystemMountOptions, openHostService, type MountReply } from '@osbuild-ts/plugin-kit/host-service';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const packageDir = join(import.meta.dirname, '..');
const entry = join(packageDir, 'dist', 'main.js');
const schema = schemaCases(packageDir);
const kernelHasVfat = readFileSync('/proc/filesystems', 'utf8').split('\n').some((line) => line.split('\t')[1] === 'vfat');

function mountLine(point: string): string | undefined {
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').find((line) => line.split(' ')[4] === point);
}

describe('org.osbuild.fat', () => {
  it('declares the vfat file system, so a kernel without it is refused before a build', () => {
    const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
    expect(pkg.osbuild).toMatchObject({ kind: 'mount', name: 'org.osbuild.fat', filesystem: 'vfat' });
  });

  it('mounts a FAT file system with uid/gid/umask/shortname, or says why the kernel cannot', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mount-fat-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const image = join(dir, 'efi.img');
    execFileSync('truncate', ['-s', '64M', image]);
    execFileSync('mkfs.vfat', ['-F', '16', image], { stdio: 'ignore' });
    const device = execFileSync('losetup', ['--find', '--show', image], { encoding: 'utf8' }).trim();
    onTestFinished(() => void execFileSync('losetup', ['--detach', device]));
    const root = join(dir, 'mounts');
    const options = { uid: 0, gid: 0, umask: '077', shortname: 'winnt' };
    const request = { apiVersion: 1, kind: 'mount', name: 'efi', type: 'org.osbuild.fat', options, tree: dir, source: device, partition: null, target: '/boot/efi', root, mountpoint: join(root, 'boot/efi') };
    const service = await openHostService<MountReply>(entry, request);
    if (kernelHasVfat) {
      expect(service.reply).toEqual({ path: join(root, 'boot/efi') });
      expect(mountLine(join(root, 'boot/efi'))).toMatch(/ - vfat .*umask=0077/);
      expect((await service.close()).exitCode).toBe(0);
    } else {
      // This machine's kernel: mount(8) names the missing type; the engine refuses such builds up front.
      expect(service.reply).toMatchObject({ error: expect.stringMatching(/mount .*-t vfat .*failed.*vfat/) });
      expect((await service.close()).exitCode).toBe(1);
    }
    expect(mountLine(join(root, 'boot/efi'))).toBeUndefined();
  });

  it('translates options as upstream does', () => {
    expect(fileSystemMountOptions({ readonly: true, uid: 1000, gid: 1000, umask: '022', shortname: 'lower' })).toEqual([
      'ro',
      'uid=1000',
      'gid=1000',
      'umask=022',
      'shortname=lower',
    ]);
  });

  it('the options schema is upstream\'s', () => {
    schema.accepts('options', [{ readonly: false, uid: 0, gid: 0, umask: '022', shortname: 'mixed' }]);
    schema.refuses('options', [{ umask: '22' }, { shortname: 'dos' }, { norecovery: true }]);
  });
});

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openHostService, type MountReply } from '@osbuild-ts/plugin-kit/host-service';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const entry = join(import.meta.dirname, '..', 'dist', 'main.js');
const schema = schemaCases(import.meta.dirname);

function mountLine(point: string): string | undefined {
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').find((line) => line.split(' ')[4] === point);
}

describe('org.osbuild.btrfs', () => {
  it('mounts a subvolume with compression; what the stage writes lands in that subvolume', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mount-btrfs-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const image = join(dir, 'disk.img');
    execFileSync('truncate', ['-s', '128M', image]);
    execFileSync('mkfs.btrfs', ['-q', image]);
    const device = execFileSync('losetup', ['--find', '--show', image], { encoding: 'utf8' }).trim();
    onTestFinished(() => void execFileSync('losetup', ['--detach', device]));
    const top = join(dir, 'top');
    mkdirSync(top);
    execFileSync('mount', [device, top]);
    execFileSync('btrfs', ['-q', 'subvolume', 'create', join(top, 'root')]);
    execFileSync('umount', [top]);

    const root = join(dir, 'mounts');
    const request = {
      apiVersion: 1, kind: 'mount', name: 'root', type: 'org.osbuild.btrfs',
      options: { subvol: 'root', compress: 'zstd:1' },
      tree: dir, source: device, partition: null, target: '/', root, mountpoint: root,
    };
    const service = await openHostService<MountReply>(entry, request);
    expect(service.reply).toEqual({ path: root });
    const line = mountLine(root) ?? '';
    expect(line).toContain(' - btrfs ');
    expect(line.split(' - ')[1]).toMatch(/compress=zstd:1/);
    expect(line.split(' - ')[1]).toMatch(/subvol=\/root/);
    expect(line.split(' - ')[0]?.split(' ').slice(6)).toEqual([]);
    writeFileSync(join(root, 'hello'), 'world');
    expect((await service.close()).exitCode).toBe(0);
    expect(mountLine(root)).toBeUndefined();

    execFileSync('mount', ['-o', 'ro', device, top]);
    try {
      expect(readFileSync(join(top, 'root', 'hello'), 'utf8')).toBe('world');
    } finally {
      execFileSync('umount', [top]);
    }
  });

  it('the options schema is upstream\'s', () => {
    schema.accepts('options', [{ readonly: true, norecovery: true, subvol: 'root', compress: 'zstd' }]);
    schema.refuses('options', [{ umask: '022' }]);
  });
});

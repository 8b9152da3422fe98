import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

describe('org.osbuild.xfs', () => {
  it('mounts an XFS file system privately; what the stage writes is in the image after close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mount-xfs-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const image = join(dir, 'disk.img');
    execFileSync('truncate', ['-s', '300M', image]); // mkfs.xfs's minimum
    execFileSync('mkfs.xfs', ['-q', image]);
    const device = execFileSync('losetup', ['--find', '--show', image], { encoding: 'utf8' }).trim();
    onTestFinished(() => void execFileSync('losetup', ['--detach', device]));
    const root = join(dir, 'mounts');
    const request = { apiVersion: 1, kind: 'mount', name: 'root', type: 'org.osbuild.xfs', options: {}, tree: dir, source: device, partition: null, target: '/', root, mountpoint: root };

    const service = await openHostService<MountReply>(entry, request);
    expect(service.reply).toEqual({ path: root });
    const line = mountLine(root);
    expect(line).toContain(' - xfs ');
    expect(line?.split(' - ')[0]?.split(' ').slice(6)).toEqual([]);
    writeFileSync(join(root, 'hello'), 'world');
    expect((await service.close()).exitCode).toBe(0);
    expect(mountLine(root)).toBeUndefined();
    expect(execFileSync('xfs_db', ['-r', '-c', 'ls /', image], { encoding: 'utf8' })).toMatch(/ hello \(good\)$/m);
  });

  it('the options schema is upstream\'s', () => {
    schema.accepts('options', [{ readonly: true, norecovery: true }]);
    schema.refuses('options', [{ compress: 'zstd' }]);
  });
});

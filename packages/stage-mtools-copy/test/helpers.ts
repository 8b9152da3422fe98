import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, ftruncateSync, lutimesSync, mkdirSync, mkdtempSync, openSync, readdirSync, lstatSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { onTestFinished } from 'vitest';
import type { LoopDevices } from '@osbuild-ts/plugin-kit/testing';

export const entry = join(import.meta.dirname, '..', 'dist', 'main.js');
export const MiB = 1024 * 1024;
export const ESP_TYPE = 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B';
/** mtools without the user's or the system's configuration, times in UTC. */
export const MTOOLS_ENV = { ...process.env, MTOOLSRC: '/dev/null', MTOOLS_SKIP_CHECK: '1', TZ: 'UTC' };

/** Scratch space on the disk (not /tmp, which may be RAM), removed when the test ends. */
export function testdir(prefix: string): string {
  const dir = mkdtempSync(join(process.env['OSBUILD_TEST_SCRATCH'] ?? '/var/tmp', `osbuild-ts-mtools-copy-${prefix}-`));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A GPT disk whose one partition, an ESP from sector 2048, is formatted
 * with mkfs.fat through a loop device covering just that partition, as
 * osbuild's loopback device would (`loops` detaches it after the test).
 */
export function espOnLoop(dir: string, loops: LoopDevices, size = 64 * MiB): { disk: string; device: string; offset: number; size: number } {
  const disk = join(dir, 'disk.img');
  const fd = openSync(disk, 'w');
  ftruncateSync(fd, size);
  closeSync(fd);
  execFileSync('sfdisk', ['--quiet', disk], { input: `label: gpt\nstart=2048, size=${size / 512 - 4096}, type=${ESP_TYPE}\n` });
  const offset = 2048 * 512;
  const partition = size - 4096 * 512;
  const device = loops.attach(disk, { offset, sizelimit: partition });
  // -I: mkfs.fat refuses a loop device with an offset (a "virtual mapping") without it.
  execFileSync('mkfs.fat', ['-I', '--invariant', '-i', '7B7795E7', '-n', 'ESP', device], { stdio: 'ignore' });
  return { disk, device, offset, size: partition };
}

export function write(root: string, path: string, content: string | Buffer, mtime: number): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
  lutimesSync(join(root, path), mtime, mtime);
}

/** Everything below `root`, as `path/` for directories and `path` for files, sorted. */
export function listHost(root: string, dir = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir))) {
    const path = dir === '' ? name : `${dir}/${name}`;
    if (lstatSync(join(root, path)).isDirectory()) out.push(`${path}/`, ...listHost(root, path));
    else out.push(path);
  }
  return out.sort();
}

/** What mdir lists on the FAT file system, in the same form. */
export function listFat(image: string): string[] {
  const result = spawnSync('mdir', ['-/', '-b', '-i', image, '::/'], { encoding: 'utf8', env: MTOOLS_ENV });
  return result.stdout
    .split('\n')
    .filter((line) => line.startsWith('::/'))
    .map((line) => line.slice(3))
    .sort();
}

/** Copies the FAT file system's contents out with mcopy, times kept, into a new directory. */
export function copyOut(image: string, dir: string): string {
  const out = join(dir, `out-${Math.random().toString(36).slice(2)}`);
  mkdirSync(out);
  execFileSync('mcopy', ['-s', '-m', '-n', '-i', image, '::/*', out], { env: MTOOLS_ENV });
  return out;
}

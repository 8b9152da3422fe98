import { execFileSync } from 'node:child_process';
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { bytesAt as readAt } from '@osbuild-ts/plugin-kit/testing';

export const entry = join(import.meta.dirname, '..', 'dist', 'main.js');
export const MiB = 1024 * 1024;
export const BIOS_BOOT = '21686148-6449-6E6F-744E-656564454649';
export const LINUX_TYPE = '0FC63DAF-8483-4772-8E79-3D69D8477DE4';
export const PC_MODULES = '/usr/lib/grub/i386-pc';

/** Scratch space on the disk (not /tmp, which may be RAM), removed when the test ends. */
export function testdir(prefix: string): string {
  const dir = mkdtempSync(join(process.env['OSBUILD_TEST_SCRATCH'] ?? '/var/tmp', `osbuild-ts-grub2-inst-${prefix}-`));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A sparse disk image of `size` bytes partitioned by sfdisk from `script`. */
export function partitionedImage(path: string, size: number, script: string): string {
  const fd = openSync(path, 'w');
  ftruncateSync(fd, size);
  closeSync(fd);
  execFileSync('sfdisk', ['--quiet', '--no-reread', '--no-tell-kernel', path], { input: script });
  return path;
}

/** A dos disk: the MBR gap (sectors 1–2047), then one bootable Linux partition. */
export const DOS_SCRIPT = 'label: dos\nlabel-id: 0x7a3f0c11\nstart=2048, type=83, bootable\n';
/** A GPT disk: a BIOS boot partition at sector 2048 (1 MiB), then a Linux partition. */
export const GPT_SCRIPT = `label: gpt\nlabel-id: 5F0E5D2C-6A53-4F4B-9E0B-1B0A6C2E9D11\nstart=2048, size=2048, type=${BIOS_BOOT}, name="bios"\nstart=4096, type=${LINUX_TYPE}, name="root"\n`;

export function sfdiskJson(image: string): unknown {
  return JSON.parse(execFileSync('sfdisk', ['--json', image], { encoding: 'utf8' }));
}

export { readAt };

/** The core image grub-mkimage makes for these arguments, made here independently of the stage. */
export function referenceCore(dir: string, args: { prefix: string; modules: string[]; format?: string }): Buffer {
  const output = join(dir, `reference-${Math.random().toString(36).slice(2)}.img`);
  execFileSync('grub-mkimage', ['--directory', PC_MODULES, '--prefix', args.prefix, '--format', args.format ?? 'i386-pc', '--compression', 'auto', '--output', output, ...args.modules]);
  const core = readAt(output, 0, 4 * MiB);
  rmSync(output);
  return core;
}

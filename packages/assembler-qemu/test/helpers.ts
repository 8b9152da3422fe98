import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  readSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  lutimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { onTestFinished } from 'vitest';
import { runStageLocally, type LocalRunResult } from '@osbuild-ts/plugin-kit/testing';

export const entry = join(import.meta.dirname, '..', 'dist', 'main.js');
export const PTUUID_GPT = 'D209C89E-EA5E-4FBD-B161-B461CCE297E0';
export const ROOT_UUID = '6e4ff95f-f662-45ee-a82a-bdf44a2d0b75';
export const ESP_UUID = '7B77-95E7';
export const BIOS_BOOT = '21686148-6449-6E6F-744E-656564454649';
export const ESP_TYPE = 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B';
export const LINUX_TYPE = '0FC63DAF-8483-4772-8E79-3D69D8477DE4';
export const MiB = 1024 * 1024;

/** Scratch space on the disk (not /tmp, which may be RAM): images are large, if sparse. */
export function testdir(prefix = 'qemu-'): string {
  const base = join(process.env['OSBUILD_TEST_SCRATCH'] ?? '/var/tmp');
  const dir = mkdtempSync(join(base, `osbuild-ts-${prefix}`));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function write(root: string, path: string, content: string | Buffer, mode = 0o644): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
  chmodSync(join(root, path), mode);
}

/**
 * A small tree with what a file system must carry: nested directories,
 * empty and sparse-ish files, a setuid binary, a sticky /tmp, symlinks
 * (relative, absolute, dangling), a hard link, a device node and a fifo,
 * other owners, and an ESP under /boot/efi with a vendor grub.cfg.
 */
export function sampleTree(root: string, options: { specials?: boolean } = {}): void {
  mkdirSync(root, { recursive: true });
  write(root, 'etc/hostname', 'sample\n');
  write(root, 'etc/os-release', 'ID=sample\n');
  write(root, 'etc/empty', '');
  write(root, 'usr/bin/tool', '#!/bin/sh\necho tool\n', 0o755);
  write(root, 'usr/bin/su', 'setuid', 0o4755);
  write(root, 'usr/share/data/big.bin', Buffer.alloc(3 * MiB + 17, 7));
  write(root, 'usr/share/data/zeros.bin', Buffer.alloc(2 * MiB, 0));
  write(root, 'home/user/notes.txt', 'owned by 1000\n', 0o600);
  execFileSync('chown', ['-R', '1000:1000', join(root, 'home/user')]);
  mkdirSync(join(root, 'tmp'));
  chmodSync(join(root, 'tmp'), 0o1777);
  symlinkSync('../usr/bin/tool', join(root, 'etc/tool-link'));
  symlinkSync('/usr/bin/tool', join(root, 'usr/bin/tool-abs'));
  symlinkSync('/nowhere/at/all', join(root, 'etc/dangling'));
  linkSync(join(root, 'usr/bin/tool'), join(root, 'usr/bin/tool-hard'));
  if (options.specials ?? true) {
    execFileSync('mknod', [join(root, 'etc/null'), 'c', '1', '3']);
    execFileSync('mkfifo', [join(root, 'etc/fifo')]);
  }
  write(root, 'boot/grub/grub.cfg', 'set timeout=0\n');
  write(root, 'boot/efi/EFI/sample/grub.cfg', 'configfile (hd0,gpt3)/boot/grub/grub.cfg\n');
  write(root, 'boot/efi/EFI/sample/long name with spaces.txt', 'FAT keeps long names\n');
  // Fixed mtimes, as the engine leaves them (clamped to the source epoch).
  for (const entry of walk(root)) lutimesSync(entry, 1_600_000_000, 1_600_000_000);
}

function walk(root: string): string[] {
  const out: string[] = [root];
  for (const name of readdirSync(root)) {
    const path = join(root, name);
    if (lstatSync(path).isDirectory()) out.push(...walk(path));
    else out.push(path);
  }
  return out;
}

/** A fingerprint of a tree: every path with type, mode, owner, size, mtime, content hash or link target, ctime. */
export function treeState(root: string): string {
  return walk(root)
    .map((path) => {
      const st = lstatSync(path, { bigint: true });
      const what = st.isFile() ? sha256(readFileSync(path)) : st.isSymbolicLink() ? readlinkSync(path) : '';
      return `${path.slice(root.length)} ${st.mode} ${st.uid}:${st.gid} ${st.size} ${st.mtimeNs} ${st.ctimeNs} ${what}`;
    })
    .sort()
    .join('\n');
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export function sha256File(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(8 * MiB);
    for (let position = 0; ; ) {
      const n = readSync(fd, buffer, 0, buffer.length, position);
      if (n === 0) break;
      hash.update(buffer.subarray(0, n));
      position += n;
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/** Runs the assembler on `tree` into `output` (default: a fresh directory removed after the test). */
export async function assembleTree(
  tree: string,
  options: Record<string, unknown>,
  env: Record<string, string> = {},
  output = testdir('out-'),
): Promise<{ result: LocalRunResult; output: string; file: string }> {
  const result = await runStageLocally({ entry, tree: output, inputs: { tree: { path: tree } }, options, env });
  return { result, output, file: join(output, String(options['filename'])) };
}

/** The options of a GPT disk with a BIOS boot partition, an ESP at /boot/efi and an ext4 root. */
export function gptOptions(overrides: Record<string, unknown> = {}, rootType = 'ext4'): Record<string, unknown> {
  return {
    format: 'raw',
    filename: 'disk.raw',
    size: 256 * MiB,
    ptuuid: PTUUID_GPT,
    pttype: 'gpt',
    bootloader: { type: 'grub2' },
    partitions: [
      { start: 2048, size: 2048, type: BIOS_BOOT, bootable: true, uuid: 'FAC7F1FB-3E8D-4137-A512-961DE09A5549' },
      { start: 4096, size: 65536, type: ESP_TYPE, name: 'EFI System', uuid: '68B2905B-DF3E-4FB3-80FA-49D1E773AA33', filesystem: { type: 'vfat', uuid: ESP_UUID, label: 'ESP', mountpoint: '/boot/efi' } },
      { start: 69632, type: LINUX_TYPE, name: 'root', filesystem: { type: rootType, uuid: ROOT_UUID, label: 'root', mountpoint: '/' } },
    ],
    ...overrides,
  };
}

/** Copies `size` bytes at `offset` of `image` to a new file (a partition, to check on its own). */
export function extractRange(image: string, offset: number, size: number, target: string): string {
  execFileSync('dd', [`if=${image}`, `of=${target}`, 'bs=1M', `skip=${offset}`, `count=${size}`, 'iflag=skip_bytes,count_bytes', 'conv=sparse', 'status=none']);
  return target;
}

export function run(command: string, args: readonly string[]): { status: number | null; output: string } {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

export interface SfdiskPartition {
  start: number;
  size: number;
  type: string;
  uuid?: string;
  name?: string;
  bootable?: boolean;
}

export function sfdiskJson(image: string): { label: string; id: string; partitions: SfdiskPartition[] } {
  return (JSON.parse(execFileSync('sfdisk', ['--json', image], { encoding: 'utf8' })) as { partitiontable: { label: string; id: string; partitions: SfdiskPartition[] } }).partitiontable;
}

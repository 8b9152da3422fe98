import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bootToLogin, mkfsIntoPartition } from '@osbuild-ts/image-kit/testing';
import { hasCommand, runStageLocally, skipReason } from '@osbuild-ts/plugin-kit/testing';
import { DOS_SCRIPT, GPT_SCRIPT, MiB, PC_MODULES, entry, partitionedImage, testdir } from './helpers.js';

const unavailable = skipReason(
  (existsSync(join(PC_MODULES, 'boot.img')) ? null : 'needs grub-pc-bin') ??
  (hasCommand('qemu-system-x86_64') ? null : 'needs qemu-system-x86_64 (qemu-system-x86)') ??
  (hasCommand('mkfs.btrfs') ? null : 'needs mkfs.btrfs (btrfs-progs)'),
);

const MARKER = 'grub2.inst booted this disk';

/**
 * What org.osbuild.grub2 with `legacy` leaves in a tree, cut down: grub's
 * i386-pc modules in /boot/grub and a grub.cfg that says where it was
 * loaded from on the serial console and powers the machine off.
 */
function bootTree(root: string): string {
  mkdirSync(join(root, 'boot/grub/i386-pc'), { recursive: true });
  for (const name of readdirSync(PC_MODULES).filter((n) => n.endsWith('.mod') || n.endsWith('.lst'))) {
    cpSync(join(PC_MODULES, name), join(root, 'boot/grub/i386-pc', name));
  }
  writeFileSync(
    join(root, 'boot/grub/grub.cfg'),
    ['serial --unit=0 --speed=115200', 'terminal_input serial', 'terminal_output serial', `echo "${MARKER}: prefix=$prefix root=$root"`, 'halt', ''].join('\n'),
  );
  return root;
}

describe.skipIf(unavailable !== null)(`a disk whose only boot code is grub2.inst's boots under SeaBIOS (QEMU, TCG)${unavailable ? ` (skipped: ${unavailable})` : ''}`, { tags: ['boot'] }, () => {
  const cases = [
    { name: 'dos, core in the MBR gap, /boot/grub on ext4', script: DOS_SCRIPT, location: 1, label: 'dos', number: 0, fs: 'ext4' as const, partition: { offset: 2048 * 512, size: 64 * MiB - 2048 * 512 }, device: 'msdos1' },
    { name: 'gpt, core in the BIOS boot partition, /boot/grub on btrfs', script: GPT_SCRIPT, location: 2048, label: 'gpt', number: 1, fs: 'btrfs' as const, partition: { offset: 4096 * 512, size: 60 * MiB }, device: 'gpt2' },
  ];
  it.each(cases)('$name', async (c) => {
    const dir = testdir('boot');
    const tree = join(dir, 'tree');
    mkdirSync(tree);
    const image = partitionedImage(join(tree, 'disk.img'), 128 * MiB, c.script);
    // The file system is made from a directory and written into its partition: nothing is mounted.
    mkfsIntoPartition(image, c.partition, { type: c.fs, root: bootTree(join(dir, 'root')) });

    const result = await runStageLocally({
      entry,
      tree,
      options: {
        filename: 'disk.img',
        platform: 'i386-pc',
        location: c.location,
        core: { type: 'mkimage', partlabel: c.label, filesystem: c.fs },
        prefix: { type: 'partition', partlabel: c.label, number: c.number, path: '/boot/grub' },
      },
    });
    expect(result.exitCode, result.output).toBe(0);

    const boot = await bootToLogin(image, { format: 'raw', expect: new RegExp(`${MARKER}: prefix=\\S+ root=\\S+\\n`), timeoutMs: 180_000, memory: 256 });
    expect(boot.ok, boot.serialLog.slice(-2000)).toBe(true);
    expect(boot.serialLog).toContain(`${MARKER}: prefix=(hd0,${c.device})/boot/grub root=hd0,${c.device}`);
  });
});

import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootToLogin, mkfsIntoPartition, ovmf } from '@osbuild-ts/image-kit/testing';
import { debianTreeUnavailable, deviceArgument, hasCommand, loopDevicesUnavailable, makeDebianTree, runStageLocally, useLoopDevices, type LocalRunResult, skipReason } from '@osbuild-ts/plugin-kit/testing';

const stage = (name: string) => join(import.meta.dirname, '..', 'node_modules', '@osbuild-ts', name, 'dist', 'main.js');
const entries = {
  grub2: stage('stage-grub2'),
  grub2Efi: stage('stage-grub2-efi'),
  mtoolsCopy: stage('stage-mtools-copy'),
  grub2Inst: stage('stage-grub2-inst'),
  qemu: join(import.meta.dirname, '..', 'dist', 'main.js'),
};
/** What a Debian system needs to boot to a login prompt on the serial console. */
const PACKAGES = ['linux-image-amd64', 'systemd-sysv', 'udev'];
const EPOCH = 1_700_000_000;
const ROOT_UUID = '6e4ff95f-f662-45ee-a82a-bdf44a2d0b75';
const ESP_VOLID = '7B7795E7';
const SECTOR = 512;
const SIZE = 2 * 1024 ** 3;
/** osbuild's hybrid layout: a BIOS boot partition, the ESP, the root file system. */
const LAYOUT = {
  biosBoot: { start: 2048, size: 2048 },
  esp: { start: 4096, size: 204800 },
  root: { start: 208896, size: SIZE / SECTOR - 208896 - 2048 },
};
const SFDISK = [
  'label: gpt',
  'label-id: D209C89E-EA5E-4FBD-B161-B461CCE297E0',
  `start=${LAYOUT.biosBoot.start}, size=${LAYOUT.biosBoot.size}, type=21686148-6449-6E6F-744E-656564454649, name="BIOS boot"`,
  `start=${LAYOUT.esp.start}, size=${LAYOUT.esp.size}, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name="EFI System"`,
  `start=${LAYOUT.root.start}, size=${LAYOUT.root.size}, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name="root"`,
  '',
].join('\n');

const unavailable = skipReason(
  debianTreeUnavailable() ??
  loopDevicesUnavailable() ??
  (process.arch === 'x64' ? null : 'boots x86_64 images') ??
  (hasCommand('qemu-system-x86_64') ? null : 'needs qemu-system-x86_64 (qemu-system-x86)') ??
  (existsSync('/usr/lib/grub/i386-pc/boot.img') && existsSync('/usr/lib/grub/x86_64-efi/normal.mod') ? null : 'needs grub-pc-bin and grub-efi-amd64-bin') ??
  (hasCommand('mkfs.fat') && hasCommand('mcopy') ? null : 'needs dosfstools and mtools'),
);

function ok(result: LocalRunResult, what: string): void {
  expect(result.exitCode, `${what}:\n${result.output}`).toBe(0);
}

/**
 * The v2 image stages one after the other, as an image pipeline runs them,
 * on a Debian tree, without mounting anything: org.osbuild.grub2 and
 * grub2.efi configure the tree; the disk is partitioned with sfdisk and the
 * root file system made from the tree (mkfs.ext4 -d, as a test's stand-in for
 * mkfs + copy into a mount); mtools.copy fills the ESP through a loop
 * device; grub2.inst writes the BIOS boot code; org.osbuild.qemu makes the
 * qcow2 that boots.
 */
describe.skipIf(unavailable !== null)(`a Debian disk made by the v2 image stages${unavailable ? ` (skipped: ${unavailable})` : ''}`, { tags: ['slow'] }, () => {
  const loops = useLoopDevices();
  let scratch: string;
  let qcow2: string;

  beforeAll(async () => {
    scratch = mkdtempSync('/var/tmp/osbuild-ts-debian-disk-');
    const tree = join(scratch, 'os');
    await makeDebianTree(tree, { include: PACKAGES });
    mkdirSync(join(tree, 'boot/efi'), { recursive: true });
    writeFileSync(join(tree, 'etc/fstab'), `UUID=${ROOT_UUID} / ext4 defaults 0 1\nUUID=7B77-95E7 /boot/efi vfat umask=0077 0 2\n`);
    ok(await runStageLocally({ entry: entries.grub2, tree, options: { root_fs_uuid: ROOT_UUID, kernel_opts: 'console=ttyS0', legacy: 'i386-pc', uefi: { vendor: 'debian' } } }), 'org.osbuild.grub2');
    ok(await runStageLocally({ entry: entries.grub2Efi, tree, options: { vendor: 'debian' }, sourceEpoch: EPOCH }), 'grub2.efi');

    // The image pipeline's tree: the raw disk, partitioned.
    const imageTree = join(scratch, 'image');
    mkdirSync(imageTree);
    const raw = join(imageTree, 'disk.raw');
    const fd = openSync(raw, 'w');
    ftruncateSync(fd, SIZE);
    closeSync(fd);
    execFileSync('sfdisk', ['--quiet', raw], { input: SFDISK });

    // The ESP through a loop device of its partition: mkfs.fat, then mtools.copy from the OS tree.
    const esp = loops.attach(raw, { offset: LAYOUT.esp.start * SECTOR, sizelimit: LAYOUT.esp.size * SECTOR });
    try {
      execFileSync('mkfs.fat', ['-I', '-F', '32', '--invariant', '-i', ESP_VOLID, '-n', 'EFI-SYSTEM', esp], { stdio: 'ignore' });
      ok(
        await runStageLocally({
          entry: entries.mtoolsCopy,
          tree: imageTree,
          devices: deviceArgument(esp),
          inputs: { tree: { path: tree } },
          options: { paths: [{ from: 'input://tree/boot/efi/', to: '/' }] },
          sourceEpoch: EPOCH,
        }),
        'mtools.copy',
      );
    } finally {
      loops.detach(esp);
    }

    // The root file system: all but the ESP's content, which its mount point hides.
    renameSync(join(tree, 'boot/efi'), join(scratch, 'esp-content'));
    mkdirSync(join(tree, 'boot/efi'));
    mkfsIntoPartition(raw, { offset: LAYOUT.root.start * SECTOR, size: LAYOUT.root.size * SECTOR }, { type: 'ext4', root: tree, uuid: ROOT_UUID, label: 'root' });

    ok(
      await runStageLocally({
        entry: entries.grub2Inst,
        tree: imageTree,
        options: {
          filename: 'disk.raw',
          platform: 'i386-pc',
          location: LAYOUT.biosBoot.start,
          core: { type: 'mkimage', partlabel: 'gpt', filesystem: 'ext4' },
          prefix: { type: 'partition', partlabel: 'gpt', number: 2, path: '/boot/grub' },
        },
      }),
      'org.osbuild.grub2.inst',
    );

    const qcow2Tree = join(scratch, 'qcow2');
    mkdirSync(qcow2Tree);
    ok(await runStageLocally({ entry: entries.qemu, tree: qcow2Tree, inputs: { image: { path: imageTree, data: { files: { 'disk.raw': {} } } } }, options: { filename: 'disk.qcow2', format: { type: 'qcow2' } } }), 'org.osbuild.qemu');
    qcow2 = join(qcow2Tree, 'disk.qcow2');
    rmSync(raw);
  });
  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('boots to login: with SeaBIOS (grub2.inst: boot.img in the MBR, the core in the BIOS boot partition)', async () => {
    const boot = await bootToLogin(qcow2, { timeoutMs: 300_000 });
    expect(boot.ok, boot.serialLog.slice(-3000)).toBe(true);
    expect(boot.serialLog).toContain('Debian GNU/Linux 12');
  });

  it.skipIf(ovmf() === null)('boots to login: with OVMF (grub2.efi\'s EFI/BOOT/BOOTX64.EFI, put on the ESP by mtools.copy)', async () => {
    const boot = await bootToLogin(qcow2, { uefi: true, timeoutMs: 300_000 });
    expect(boot.ok, boot.serialLog.slice(-3000)).toBe(true);
    expect(boot.serialLog).toContain('Debian GNU/Linux 12');
  });
});

import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyTree, debianTreeUnavailable, hasCommand, makeDebianTree, runStageLocally, skipReason } from '@osbuild-ts/plugin-kit/testing';
import { bootToLogin, ovmf } from '@osbuild-ts/image-kit/testing';
import { BIOS_BOOT, ESP_TYPE, ESP_UUID, LINUX_TYPE, PTUUID_GPT, ROOT_UUID, assembleTree, sha256File } from './helpers.js';

const grub2Entry = join(import.meta.dirname, '..', 'node_modules', '@osbuild-ts', 'stage-grub2', 'dist', 'main.js');
/** What a Debian system needs to boot to a login prompt on the serial console. */
const PACKAGES = ['linux-image-amd64', 'systemd-sysv', 'udev'];
const EPOCH = { SOURCE_DATE_EPOCH: '1700000000' };

const unavailable = skipReason(
  debianTreeUnavailable() ??
  (hasCommand('qemu-system-x86_64') ? null : 'needs qemu-system-x86_64 (qemu-system-x86)') ??
  (existsSync('/usr/lib/grub/i386-pc/boot.img') && existsSync('/usr/lib/grub/x86_64-efi/normal.mod') ? null : 'needs grub-pc-bin and grub-efi-amd64-bin') ??
  (process.arch === 'x64' ? null : 'boots x86_64 images'),
);

/** A hybrid disk as osbuild's Fedora and RHEL images are laid out: BIOS boot partition, ESP, root. */
const layout = {
  size: 2 * 1024 ** 3,
  ptuuid: PTUUID_GPT,
  pttype: 'gpt',
  bootloader: { type: 'grub2' },
  partitions: [
    { start: 2048, size: 2048, type: BIOS_BOOT, bootable: true, uuid: 'FAC7F1FB-3E8D-4137-A512-961DE09A5549' },
    { start: 4096, size: 204800, type: ESP_TYPE, uuid: '68B2905B-DF3E-4FB3-80FA-49D1E773AA33', filesystem: { type: 'vfat', uuid: ESP_UUID, label: 'EFI-SYSTEM', mountpoint: '/boot/efi' } },
    { start: 208896, type: LINUX_TYPE, uuid: '6264D520-3FB9-423F-8AB8-7A0A8E3D3562', filesystem: { type: 'ext4', uuid: ROOT_UUID, label: 'root', mountpoint: '/' } },
  ],
};

describe.skipIf(unavailable !== null)(`a Debian tree through org.osbuild.grub2 and org.osbuild.qemu${unavailable ? ` (skipped: ${unavailable})` : ''}`, { tags: ['slow'] }, () => {
  let scratch: string;
  let tree: string;
  let qcow2: string;

  beforeAll(async () => {
    scratch = mkdtempSync('/var/tmp/osbuild-ts-boot-');
    tree = join(scratch, 'tree');
    // mmdebstrap from the host's apt sources, made once and cached as a tarball.
    await makeDebianTree(tree, { include: PACKAGES });
    mkdirSync(join(tree, 'boot/efi'), { recursive: true });
    writeFileSync(join(tree, 'etc/fstab'), `UUID=${ROOT_UUID} / ext4 defaults 0 1\nUUID=${ESP_UUID} /boot/efi vfat umask=0077 0 2\n`);
    const grub = await runStageLocally({
      entry: grub2Entry,
      tree,
      // console=ttyS0: the kernel and a getty on the serial console, where the test looks for the prompt.
      options: { root_fs_uuid: ROOT_UUID, kernel_opts: 'console=ttyS0', legacy: 'i386-pc', uefi: { vendor: 'debian' } },
    });
    expect(grub.exitCode, grub.output).toBe(0);
    const started = Date.now();
    const out = mkdtempSync(join(scratch, 'out-'));
    const { result, file } = await assembleTree(tree, { ...layout, format: 'qcow2', filename: 'disk.qcow2' }, EPOCH, out);
    expect(result.exitCode, result.output).toBe(0);
    console.log(`assembled disk.qcow2 in ${((Date.now() - started) / 1000).toFixed(1)} s:\n${result.output}`);
    qcow2 = file;
  });
  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('boots to login: with SeaBIOS (grub core in the BIOS boot partition)', async () => {
    const boot = await bootToLogin(qcow2, { timeoutMs: 300_000 });
    console.log(`BIOS boot to login: ${boot.seconds.toFixed(1)} s`);
    expect(boot.ok, boot.serialLog.slice(-3000)).toBe(true);
    expect(boot.serialLog).toContain('Debian GNU/Linux 12');
  });

  it.skipIf(ovmf() === null)('boots to login: with OVMF (EFI/BOOT/BOOTX64.EFI on the ESP)', async () => {
    const boot = await bootToLogin(qcow2, { uefi: true, timeoutMs: 300_000 });
    console.log(`UEFI boot to login: ${boot.seconds.toFixed(1)} s`);
    expect(boot.ok, boot.serialLog.slice(-3000)).toBe(true);
    expect(boot.serialLog).toContain('Debian GNU/Linux 12');
  });

  it('gives the same raw image twice, from two copies of the tree, with a source epoch', async () => {
    const copy = join(scratch, 'copy');
    await copyTree(tree, copy);
    const a = await assembleTree(tree, { ...layout, format: 'raw', filename: 'disk.raw' }, EPOCH, mkdtempSync(join(scratch, 'raw-a-')));
    expect(a.result.exitCode, a.result.output).toBe(0);
    const b = await assembleTree(copy, { ...layout, format: 'raw', filename: 'disk.raw' }, EPOCH, mkdtempSync(join(scratch, 'raw-b-')));
    expect(b.result.exitCode, b.result.output).toBe(0);
    expect(sha256File(b.file)).toBe(sha256File(a.file));
  });
});

// The stage with this machine as build root: Debian has no shim, so the
// loader is made with grub-mkimage; the files it writes and its grub.cfg.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { grubIsoConfig, type GrubIsoOptions } from '@osbuild-ts/image-kit';
import { hasCommand, runStageLocally, testdir } from '@osbuild-ts/plugin-kit/testing';

const entry = join(import.meta.dirname, '..', 'dist', 'main.js');
const unavailable =
  process.arch !== 'x64'
    ? 'builds x86_64 loaders'
    : !existsSync('/usr/lib/grub/x86_64-efi/normal.mod') || !(hasCommand('grub-mkimage') || hasCommand('grub2-mkimage'))
      ? 'needs grub-efi-amd64-bin and grub-common'
      : existsSync('/boot/efi/EFI/debian/shimx64.efi')
        ? 'this machine has shim: the loader would be copied'
        : !existsSync('/usr/share/grub/unicode.pf2')
          ? 'needs grub\'s unicode.pf2'
          : null;

const OPTIONS: GrubIsoOptions & Record<string, unknown> & { architectures: string[]; vendor: string } = {
  product: { name: 'Debian', version: '12' },
  isolabel: 'DEBIAN_LIVE',
  kernel: { dir: '/live', opts: ['boot=live', 'console=ttyS0'] },
  architectures: ['X64'],
  vendor: 'debian',
  install: false,
  test: false,
  troubleshooting: false,
  custom: [{ name: 'Debian ${version} live', linux: '/isolinux/vmlinuz ${root}', initrd: '/isolinux/initrd.img' }],
  config: { timeout: 1 },
};

describe.skipIf(unavailable !== null)(`org.osbuild.grub2.iso${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  it('writes EFI/BOOT: a grub loader where the build root has no shim, the font and grub.cfg', async () => {
    const tree = testdir('grub2-iso-tree');
    const result = await runStageLocally({ entry, tree, options: OPTIONS, sourceEpoch: 1700000000 });
    expect(result.exitCode, result.output).toBe(0);
    expect(result.output).toMatch(/EFI\/BOOT\/BOOTX64\.EFI: \/boot\/efi\/EFI\/debian\/shimx64\.efi is not in the build root, so a grub x86_64-efi loader/);
    expect(readdirSync(join(tree, 'EFI/BOOT')).sort()).toEqual(['BOOTX64.EFI', 'fonts', 'grub.cfg']);
    expect(readFileSync(join(tree, 'EFI/BOOT/BOOTX64.EFI')).subarray(0, 2).toString('latin1')).toBe('MZ');
    // The loader reads its configuration from EFI/BOOT and can read the ISO.
    const loader = readFileSync(join(tree, 'EFI/BOOT/BOOTX64.EFI')).toString('latin1');
    expect(loader).toContain('/EFI/BOOT');
    expect(loader).toContain('iso9660');
    expect(readFileSync(join(tree, 'EFI/BOOT/fonts/unicode.pf2')).equals(readFileSync('/usr/share/grub/unicode.pf2'))).toBe(true);
    const cfg = readFileSync(join(tree, 'EFI/BOOT/grub.cfg'), 'utf8');
    expect(cfg).toBe(grubIsoConfig(OPTIONS, 'efi'));
    expect(cfg).toContain("search --no-floppy --set=root -l 'DEBIAN_LIVE'");
    expect(cfg).toContain('\tlinux /isolinux/vmlinuz boot=live console=ttyS0\n');
    expect(cfg).toContain("menuentry 'Debian 12 live'");
    expect(cfg).toContain('set timeout=1');
  });

  it('names the architecture it cannot build for', async () => {
    const result = await runStageLocally({ entry, tree: testdir('grub2-iso-tree'), options: { ...OPTIONS, architectures: ['X64', 'IA32'] } });
    if (existsSync('/usr/lib/grub/i386-efi')) return;
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toMatch(/\/usr\/lib\/grub\/i386-efi is not in the build root \(grub-efi-ia32-bin on Debian/);
  });

  it('refuses a tree that has EFI/BOOT already, and a missing architectures', async () => {
    const tree = testdir('grub2-iso-tree');
    expect((await runStageLocally({ entry, tree, options: OPTIONS })).exitCode).toBe(0);
    const again = await runStageLocally({ entry, tree, options: OPTIONS });
    expect(again.output).toMatch(/the tree has an EFI\/BOOT directory already/);
    const none = await runStageLocally({ entry, tree: testdir('grub2-iso-tree'), options: { ...OPTIONS, architectures: undefined } });
    expect(none.output).toMatch(/architectures: name the EFI architectures of the ISO/);
  });
});

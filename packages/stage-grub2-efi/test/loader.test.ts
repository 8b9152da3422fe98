import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { EFI_LOADER_MODULES } from '@osbuild-ts/image-kit';
import { runStageLocally, skipReason } from '@osbuild-ts/plugin-kit/testing';

const entry = join(import.meta.dirname, '..', 'dist', 'main.js');
const EFI_MODULES = '/usr/lib/grub/x86_64-efi';
const unavailable = skipReason(process.arch !== 'x64' ? 'builds x86_64 loaders' : existsSync(join(EFI_MODULES, 'normal.mod')) ? null : 'needs grub-efi-amd64-bin');

function testdir(): string {
  const dir = mkdtempSync('/var/tmp/osbuild-ts-grub2-efi-');
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A tree as org.osbuild.grub2 with uefi.vendor leaves it. */
function treeWithVendorConfig(vendor = 'debian', esp = 'boot/efi'): string {
  const tree = testdir();
  mkdirSync(join(tree, esp, 'EFI', vendor), { recursive: true });
  writeFileSync(join(tree, esp, 'EFI', vendor, 'grub.cfg'), 'search --no-floppy --fs-uuid --set=root 6e4ff95f-f662-45ee-a82a-bdf44a2d0b75\nconfigfile ($root)/boot/grub/grub.cfg\n');
  return tree;
}

/** The loader grub-mkimage makes for these settings, made here without the stage. */
function reference(prefix: string, extra: string[] = []): Buffer {
  const dir = testdir();
  const modules = [...new Set([...EFI_LOADER_MODULES, ...extra])].filter((m) => existsSync(join(EFI_MODULES, `${m}.mod`)));
  execFileSync('grub-mkimage', ['--format', 'x86_64-efi', '--directory', EFI_MODULES, '--prefix', prefix, '--output', join(dir, 'ref.efi'), ...modules]);
  return readFileSync(join(dir, 'ref.efi'));
}

describe.skipIf(unavailable !== null)(`io.github.osbuild-ts.grub2.efi${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  it('builds EFI/BOOT/BOOTX64.EFI on the ESP in the tree, reading EFI/<vendor>/grub.cfg, stamped with the source epoch', async () => {
    const tree = treeWithVendorConfig();
    const result = await runStageLocally({ entry, tree, options: { vendor: 'debian' }, sourceEpoch: 1700000000 });
    expect(result.exitCode, result.output).toBe(0);
    expect(result.output).toMatch(/\/boot\/efi\/EFI\/BOOT\/BOOTX64.EFI: grub x86_64-efi loader reading \/EFI\/debian\/grub.cfg on the ESP, with \d+ modules built in/);
    const loader = join(tree, 'boot/efi/EFI/BOOT/BOOTX64.EFI');
    const data = readFileSync(loader);
    // A PE image for x86_64 (machine 0x8664), an EFI application (subsystem 10).
    expect(data.subarray(0, 2).toString('latin1')).toBe('MZ');
    const pe = data.readUInt32LE(0x3c);
    expect(data.subarray(pe, pe + 4).toString('latin1')).toBe('PE\0\0');
    expect(data.readUInt16LE(pe + 4)).toBe(0x8664);
    expect(data.readUInt16LE(pe + 24 + 68)).toBe(10);
    expect(data.equals(reference('/EFI/debian'))).toBe(true);
    expect(statSync(loader).mtimeMs).toBe(1700000000 * 1000);
  });

  it('takes another ESP location, file name and more modules', async () => {
    const tree = treeWithVendorConfig('acme', 'efi');
    const result = await runStageLocally({ entry, tree, options: { vendor: 'acme', esp: '/efi', filename: 'EFI/acme/grubx64.efi', modules: ['lvm'] } });
    expect(result.exitCode, result.output).toBe(0);
    expect(readFileSync(join(tree, 'efi/EFI/acme/grubx64.efi')).equals(reference('/EFI/acme', ['lvm']))).toBe(true);
    expect(existsSync(join(tree, 'efi/EFI/BOOT'))).toBe(false);
  });

  it('fails naming what is missing: the vendor configuration, a module, a platform', async () => {
    const tree = treeWithVendorConfig();
    const noConfig = await runStageLocally({ entry, tree, options: { vendor: 'fedora' } });
    expect(noConfig.exitCode).toBe(1);
    expect(noConfig.output).toContain('vendor fedora: the tree has no /boot/efi/EFI/fedora/grub.cfg for the loader to read (run org.osbuild.grub2 with uefi.vendor "fedora" first)');
    const noModule = await runStageLocally({ entry, tree, options: { vendor: 'debian', modules: ['no_such_module'] } });
    expect(noModule.exitCode).toBe(1);
    expect(noModule.output).toContain('/usr/lib/grub/x86_64-efi has no module no_such_module');
    const noPlatform = await runStageLocally({ entry, tree, options: { vendor: 'debian', platform: 'loongarch64-efi' } });
    expect(noPlatform.exitCode).toBe(1);
    expect(noPlatform.output).toContain('/usr/lib/grub/loongarch64-efi is not in the build root');
    expect(existsSync(join(tree, 'boot/efi/EFI/BOOT'))).toBe(false);
  });
});

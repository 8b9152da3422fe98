import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasCommand, runStageLocally } from '@osbuild-ts/plugin-kit/testing';
import { debianTree, entry, listFiles, testdir } from './helpers.js';

const ROOT = '6e4ff95f-f662-45ee-a82a-bdf44a2d0b75';
const BOOT = '156f0420-627b-4151-ae6f-fda298097515';
const hasPc = existsSync('/usr/lib/grub/i386-pc/normal.mod');
const hasEfi = existsSync('/usr/lib/grub/x86_64-efi/normal.mod') && process.arch === 'x64';

/** grub's own parser, when the host has it (grub-common). */
function scriptCheck(file: string): void {
  if (!hasCommand('grub-script-check')) return;
  const result = spawnSync('grub-script-check', [file], { encoding: 'utf8' });
  expect(result.status, `${file}: ${result.stdout}${result.stderr}`).toBe(0);
}

describe('org.osbuild.grub2 on a Debian-style tree', () => {
  it('writes a complete /boot/grub/grub.cfg with entries for the kernels, newest first', async () => {
    const tree = testdir();
    debianTree(tree);
    const result = await runStageLocally({ entry, tree, options: { root_fs_uuid: ROOT, kernel_opts: 'console=ttyS0' } });
    expect(result.exitCode, result.output).toBe(0);
    expect(result.output).toContain('Debian-style grub.cfg (os-release ID debian');
    const cfg = readFileSync(join(tree, 'boot/grub/grub.cfg'), 'utf8');
    scriptCheck(join(tree, 'boot/grub/grub.cfg'));
    const titles = [...cfg.matchAll(/^menuentry '([^']*)'/gm)].map((m) => m[1]);
    expect(titles).toEqual([
      'Debian GNU/Linux, with Linux 6.1.0-56-amd64',
      'Debian GNU/Linux, with Linux 6.1.0-56-amd64 (recovery mode)',
      'Debian GNU/Linux, with Linux 6.1.0-9-amd64',
      'Debian GNU/Linux, with Linux 6.1.0-9-amd64 (recovery mode)',
    ]);
    expect(cfg).toContain(`\tlinux\t/boot/vmlinuz-6.1.0-56-amd64 root=UUID=${ROOT} ro console=ttyS0\n`);
    expect(cfg).toContain(`\tlinux\t/boot/vmlinuz-6.1.0-56-amd64 root=UUID=${ROOT} ro single console=ttyS0\n`);
    expect(cfg).toContain('\tinitrd\t/boot/initrd.img-6.1.0-56-amd64\n');
    expect(cfg).toContain(`search --no-floppy --set=root --fs-uuid ${ROOT}\n`);
    expect(cfg).toContain(`$menuentry_id_option 'gnulinux-6.1.0-56-amd64-advanced-${ROOT}'`);
    expect(cfg).toContain('set timeout=0\n');
    expect(cfg).toContain('   set default="0"\n');
    expect(cfg).not.toContain('blscfg');
    // No template variable is left in: only grub's own ${…} references.
    expect(cfg).not.toMatch(/\$\{(serial|terminal_input|terminal_output)\}/);

    expect(readFileSync(join(tree, 'etc/default/grub'), 'utf8')).toBe('GRUB_CMDLINE_LINUX="console=ttyS0"\nGRUB_TIMEOUT=0\nGRUB_CMDLINE_LINUX_DEFAULT=""\n');
    const env = readFileSync(join(tree, 'boot/grub/grubenv'), 'utf8');
    expect(env.length).toBe(1024);
    expect(env.startsWith(`# GRUB Environment Block\nkernelopts=root=UUID=${ROOT} console=ttyS0\n#`)).toBe(true);
    expect(existsSync(join(tree, 'boot/grub2'))).toBe(false);
  });

  it.skipIf(!hasPc || !hasEfi)('puts modules in /boot/grub/<platform> for BIOS and UEFI and points the ESP at /boot/grub', async () => {
    const tree = testdir();
    debianTree(tree);
    const result = await runStageLocally({ entry, tree, options: { root_fs_uuid: ROOT, legacy: 'i386-pc', uefi: { vendor: 'debian' } } });
    expect(result.exitCode, result.output).toBe(0);
    for (const platform of ['i386-pc', 'x86_64-efi']) {
      const expected = readdirSync(join('/usr/lib/grub', platform)).filter((n) => /\.(mod|lst)$/.test(n) && n !== 'fdt.lst').sort();
      expect(readdirSync(join(tree, 'boot/grub', platform)).sort()).toEqual(expected);
    }
    expect(existsSync(join(tree, 'boot/grub/fonts/unicode.pf2'))).toBe(true);
    const redirect = join(tree, 'boot/efi/EFI/debian/grub.cfg');
    expect(readFileSync(redirect, 'utf8')).toBe(`search --no-floppy --set=root --fs-uuid ${ROOT}\nset prefix=($root)'/boot/grub'\nconfigfile $prefix/grub.cfg\n`);
    scriptCheck(redirect);
  });

  it('handles a separate /boot, labels, settings and a saved entry', async () => {
    const tree = testdir();
    debianTree(tree, ['6.1.0-56-amd64']);
    const result = await runStageLocally({
      entry,
      tree,
      options: {
        rootfs: { label: 'root' },
        bootfs: { uuid: BOOT },
        kernel_opts: 'quiet',
        uefi: { vendor: 'debian' },
        saved_entry: `gnulinux-6.1.0-56-amd64-advanced-root`,
        write_cmdline: false,
        ignition: true,
        config: {
          timeout: 3,
          timeout_style: 'menu',
          disable_recovery: true,
          distributor: 'Acme',
          serial: 'serial --unit=0 --speed=115200',
          terminal: ['serial', 'console'],
          default: 'saved',
        },
      },
    });
    expect(result.exitCode, result.output).toBe(0);
    const cfg = readFileSync(join(tree, 'boot/grub/grub.cfg'), 'utf8');
    scriptCheck(join(tree, 'boot/grub/grub.cfg'));
    expect([...cfg.matchAll(/^menuentry '([^']*)' --class acme/gm)].map((m) => m[1])).toEqual(['Acme GNU/Linux, with Linux 6.1.0-56-amd64']);
    // /boot is its own file system: grub sees the kernel at its root.
    expect(cfg).toContain(`search --no-floppy --set=root --fs-uuid ${BOOT}\n`);
    expect(cfg).toContain('\tlinux\t/vmlinuz-6.1.0-56-amd64 root=LABEL=root ro quiet ${ignition_firstboot}\n');
    expect(cfg).toContain('\tinitrd\t/initrd.img-6.1.0-56-amd64\n');
    expect(cfg).toContain('if [ -f "/ignition.firstboot" ]; then');
    expect(cfg).toContain('serial --unit=0 --speed=115200\nterminal_input serial console\nterminal_output serial console\n');
    expect(cfg).toContain('set timeout=3\nset timeout_style=menu\n');
    expect(readFileSync(join(tree, 'boot/efi/EFI/debian/grub.cfg'), 'utf8')).toContain(`--fs-uuid ${BOOT}\nset prefix=($root)'/grub'\n`);
    const env = readFileSync(join(tree, 'boot/grub/grubenv'), 'utf8');
    expect(env.startsWith('# GRUB Environment Block\nsaved_entry=gnulinux-6.1.0-56-amd64-advanced-root\n#')).toBe(true);
    expect(readFileSync(join(tree, 'etc/default/grub'), 'utf8')).toContain('GRUB_DEFAULT=saved\n');
  });

  it('writes nothing to /etc/default without write_defaults, and warns about a tree without kernels', async () => {
    const tree = testdir();
    debianTree(tree, []);
    const result = await runStageLocally({ entry, tree, options: { root_fs_uuid: ROOT, write_defaults: false } });
    expect(result.exitCode, result.output).toBe(0);
    expect(result.output).toContain('no kernels');
    expect(listFiles(tree)).toEqual(['boot/grub/grub.cfg', 'boot/grub/grubenv', 'etc/os-release', 'usr/lib/kernel/install.d/90-loaderentry.install', 'usr/lib/os-release']);
  });

  it('recognises Debian kernels without an os-release', async () => {
    const tree = testdir();
    debianTree(tree, ['6.1.0-56-amd64']);
    rmSync(join(tree, 'etc/os-release'));
    rmSync(join(tree, 'usr/lib/os-release'));
    const result = await runStageLocally({ entry, tree, options: { root_fs_uuid: ROOT } });
    expect(result.exitCode, result.output).toBe(0);
    expect(readFileSync(join(tree, 'boot/grub/grub.cfg'), 'utf8')).toContain("menuentry 'GNU/Linux, with Linux 6.1.0-56-amd64' --class os");
  });
});

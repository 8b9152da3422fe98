// The stage with the real xorrisofs on a small tree with real boot files
// (ISOLINUX, grub's El Torito core, a FAT ESP image): what is on the ISO,
// its El Torito catalog (BIOS and EFI), and the same bytes for the same tree.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasCommand, runStageLocally, testdir } from '@osbuild-ts/plugin-kit/testing';

const entry = join(import.meta.dirname, '..', 'dist', 'main.js');
const EPOCH = 1700000000;
const ISOLINUX = '/usr/lib/ISOLINUX';
const SYSLINUX_BIOS = '/usr/lib/syslinux/modules/bios';
const GRUB_PC = '/usr/lib/grub/i386-pc';
const unavailable = !hasCommand('xorrisofs')
  ? 'needs xorriso'
  : !hasCommand('mkfs.fat') || !hasCommand('mcopy')
    ? 'needs dosfstools and mtools'
    : !existsSync(join(ISOLINUX, 'isohdpfx.bin')) || !existsSync(join(SYSLINUX_BIOS, 'ldlinux.c32'))
      ? 'needs isolinux and syslinux-common'
      : null;
const haveGrubPc = existsSync(join(GRUB_PC, 'boot_hybrid.img')) && (hasCommand('grub-mkimage') || hasCommand('grub2-mkimage'));

/** A tree as the ISO pipelines make it: ISOLINUX, a kernel directory and an ESP image. */
function isoTree(): string {
  const root = testdir('xorrisofs-input');
  mkdirSync(join(root, 'isolinux'));
  copyFileSync(join(ISOLINUX, 'isolinux.bin'), join(root, 'isolinux/isolinux.bin'));
  copyFileSync(join(SYSLINUX_BIOS, 'ldlinux.c32'), join(root, 'isolinux/ldlinux.c32'));
  writeFileSync(join(root, 'isolinux/isolinux.cfg'), 'default linux\nlabel linux\n  kernel vmlinuz\n');
  mkdirSync(join(root, 'live'));
  writeFileSync(join(root, 'live/filesystem.squashfs'), Buffer.alloc(100_000, 7));
  mkdirSync(join(root, 'images'));
  const esp = join(root, 'images/efiboot.img');
  execFileSync('mkfs.fat', ['-C', '--invariant', '-i', '7B7795E7', esp, '2048'], { stdio: 'ignore' });
  mkdirSync(join(root, 'EFI/BOOT'), { recursive: true });
  writeFileSync(join(root, 'EFI/BOOT/grub.cfg'), 'search -l DEBIAN_LIVE\n');
  execFileSync('mmd', ['-i', esp, '::/EFI', '::/EFI/BOOT'], { env: { ...process.env, MTOOLS_SKIP_CHECK: '1' } });
  execFileSync('mcopy', ['-i', esp, join(root, 'EFI/BOOT/grub.cfg'), '::/EFI/BOOT/grub.cfg'], { env: { ...process.env, MTOOLS_SKIP_CHECK: '1', SOURCE_DATE_EPOCH: String(EPOCH) } });
  return root;
}

const SYSLINUX_OPTIONS = {
  filename: 'debian-live.iso',
  volid: 'DEBIAN_LIVE',
  boot: { image: 'isolinux/isolinux.bin', catalog: 'isolinux/boot.cat' },
  efi: 'images/efiboot.img',
  isohybridmbr: join(ISOLINUX, 'isohdpfx.bin'),
};

async function makeIso(input: string, options: Record<string, unknown>, sourceEpoch: number | undefined = EPOCH): Promise<string> {
  const tree = testdir('xorrisofs-tree');
  const result = await runStageLocally({ entry, tree, inputs: { tree: { path: input } }, options, ...(sourceEpoch === undefined ? {} : { sourceEpoch }) });
  expect(result.exitCode, result.output).toBe(0);
  return join(tree, options['filename'] as string);
}

function xorriso(iso: string, ...commands: string[]): string {
  return execFileSync('xorriso', ['-indev', iso, ...commands], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, TZ: 'UTC' } });
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

describe.skipIf(unavailable !== null)(`org.osbuild.xorrisofs${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  it('puts the tree on a Rock Ridge ISO with BIOS and EFI El Torito boot images (syslinux)', async () => {
    const iso = await makeIso(isoTree(), SYSLINUX_OPTIONS);
    const files = xorriso(iso, '-find', '/', '-exec', 'lsdl').trim().split('\n');
    const names = files.map((line) => /'(.*)'$/.exec(line)?.[1]).sort();
    expect(names).toEqual(['/', '/EFI', '/EFI/BOOT', '/EFI/BOOT/grub.cfg', '/images', '/images/efiboot.img', '/isolinux', '/isolinux/isolinux.bin', '/isolinux/isolinux.cfg', '/isolinux/ldlinux.c32', '/live', '/live/filesystem.squashfs']);
    // Every file dated with the source epoch.
    for (const line of files) expect(line).toMatch(/ Nov 14  2023 '/);
    const catalog = xorriso(iso, '-report_el_torito', 'plain');
    expect(catalog).toMatch(/El Torito boot img :\s+1\s+BIOS\s+y\s+none/);
    expect(catalog).toMatch(/El Torito boot img :\s+2\s+UEFI\s+y\s+none/);
    expect(catalog).toMatch(/El Torito img path :\s+1\s+\/isolinux\/isolinux\.bin/);
    expect(catalog).toMatch(/El Torito img path :\s+2\s+\/images\/efiboot\.img/);
    expect(catalog).toMatch(/El Torito img opts :\s+1\s+boot-info-table isohybrid-suitable/);
    expect(xorriso(iso, '-pvd_info')).toMatch(/Volume Id\s*:\s*DEBIAN_LIVE/);
    // isohybrid: the MBR boot code of isohdpfx.bin and a GPT with the ESP.
    expect(readFileSync(iso).subarray(0, 432).equals(readFileSync(join(ISOLINUX, 'isohdpfx.bin')).subarray(0, 432))).toBe(true);
    expect(execFileSync('sfdisk', ['--dump', iso], { encoding: 'utf8' })).toMatch(/debian-live\.iso2 : .*type=ef\n/);
  });

  it('gives the same bytes for the same tree, whenever it runs', async () => {
    const input = isoTree();
    const first = await makeIso(input, SYSLINUX_OPTIONS);
    utimesSync(join(input, 'live/filesystem.squashfs'), new Date(), new Date());
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const second = await makeIso(input, SYSLINUX_OPTIONS);
    expect(sha256(second)).toBe(sha256(first));
    expect(xorriso(first, '-pvd_info')).toMatch(/Creation Time\s*:\s*2023111422132000/);
  });

  it.skipIf(!haveGrubPc)('makes upstream\'s grub2 ISO: grub\'s El Torito core, the ESP appended as GPT partition 2', async () => {
    const input = isoTree();
    const mkimage = hasCommand('grub2-mkimage') ? 'grub2-mkimage' : 'grub-mkimage';
    execFileSync(mkimage, ['--directory', GRUB_PC, '--prefix', '/boot/grub2', '--format', 'i386-pc-eltorito', '--output', join(input, 'images/eltorito.img'), 'iso9660', 'biosdisk'], { stdio: 'ignore' });
    const iso = await makeIso(input, {
      filename: 'grub.iso',
      volid: 'GRUB_ISO',
      boot: { image: 'images/eltorito.img', catalog: 'boot.cat' },
      efi: 'images/efiboot.img',
      grub2mbr: join(GRUB_PC, 'boot_hybrid.img'),
    });
    const catalog = xorriso(iso, '-report_el_torito', 'plain');
    expect(catalog).toMatch(/El Torito img path :\s+1\s+\/images\/eltorito\.img/);
    expect(catalog).toMatch(/El Torito img opts :\s+1\s+boot-info-table grub2-boot-info/);
    expect(catalog).toMatch(/El Torito boot img :\s+2\s+UEFI\s+y\s+none/);
    expect(xorriso(iso, '-report_system_area', 'plain')).toMatch(/GPT partname local :\s+2\s+/);
    expect(execFileSync('sfdisk', ['--dump', iso], { encoding: 'utf8' })).toMatch(/grub\.iso2 : .*type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B/);
  });

  it('names the missing boot file before running xorrisofs', async () => {
    const tree = testdir('xorrisofs-tree');
    const result = await runStageLocally({ entry, tree, inputs: { tree: { path: testdir('xorrisofs-empty') } }, options: SYSLINUX_OPTIONS });
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toMatch(/boot\.image: isolinux\/isolinux\.bin is not in the input tree/);
  });

  it('names a grub2mbr the build root lacks', async () => {
    const tree = testdir('xorrisofs-tree');
    const result = await runStageLocally({ entry, tree, inputs: { tree: { path: isoTree() } }, options: { filename: 'a.iso', volid: 'A', grub2mbr: '/nonexistent/boot_hybrid.img' } });
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toMatch(/grub2mbr: \/nonexistent\/boot_hybrid\.img is missing from the build root/);
  });
});

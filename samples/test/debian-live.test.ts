// samples/debian-live/build pins the live sample against the host's apt
// mirror and builds a hybrid ISO with our osbuild: the Debian tree as
// squashfs for live-boot, ISOLINUX for BIOS, grub in an ESP image (made
// without mounting) for EFI, xorrisofs, implantisomd5. The ISO has the
// expected files and El Torito catalog, passes checkisomd5, and boots to a
// login prompt from a CD-ROM under QEMU (TCG) with SeaBIOS and with OVMF.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DEB_CACHE } from '@osbuild-ts/debian-pin/testing';
import { ovmf } from '@osbuild-ts/image-kit/testing';
import { bootingSampleUnavailable, linkMissing, osbuildBoot } from './debian-sample.js';
import { REPO, run, tail } from './run.js';

const FILES = join('sources', 'org.osbuild.files');


function xorriso(iso: string, ...commands: string[]): string {
  return execFileSync('xorriso', ['-indev', iso, ...commands], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}

const unavailable = bootingSampleUnavailable(!existsSync('/usr/bin/xorriso') || !existsSync('/usr/bin/checkisomd5') ? 'needs xorriso and isomd5sum' : null);

describe.skipIf(unavailable !== null)(`samples/debian-live${unavailable ? ` (skipped: ${unavailable})` : ''}`, { tags: ['slow'] }, () => {
  let work: string;
  let iso: string;
  beforeAll(async () => {
    // ISOs are large: scratch on disk, not a tmpfs /tmp.
    work = mkdtempSync('/var/tmp/osbuild-ts-sample-live-');
    const store = join(work, 'store');
    // .debs fetched by earlier runs (debian-minimal's among them) are reused.
    linkMissing(TEST_DEB_CACHE, join(store, FILES));
    const built = await run(join(REPO, 'samples', 'debian-live', 'build'), [], { OUTPUT: join(work, 'out'), STORE: store });
    expect(built.status, tail(built.output)).toBe(0);
    expect(built.output).toContain('qemu-system-x86_64');
    linkMissing(join(store, FILES), TEST_DEB_CACHE);
    iso = join(work, 'out', 'iso', 'debian-live.iso');
  }, 3_600_000);
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('holds the live system, both boot loaders and the ESP image', () => {
    const names = new Set(
      xorriso(iso, '-find', '/', '-exec', 'lsdl')
        .trim()
        .split('\n')
        .map((line) => /'([^']*)'/.exec(line)?.[1]),
    );
    for (const path of ['/live/filesystem.squashfs', '/live/vmlinuz', '/live/initrd.img', '/isolinux/isolinux.bin', '/isolinux/ldlinux.c32', '/isolinux/isolinux.cfg', '/isolinux/vmlinuz', '/isolinux/initrd.img', '/EFI/BOOT/BOOTX64.EFI', '/EFI/BOOT/grub.cfg', '/images/efiboot.img']) {
      expect(names, path).toContain(path);
    }
    expect(xorriso(iso, '-pvd_info')).toMatch(/Volume Id\s*:\s*DEBIAN_LIVE/);
    const catalog = xorriso(iso, '-report_el_torito', 'plain');
    expect(catalog).toMatch(/El Torito boot img :\s+1\s+BIOS\s+y\s+none/);
    expect(catalog).toMatch(/El Torito img path :\s+1\s+\/isolinux\/isolinux\.bin/);
    expect(catalog).toMatch(/El Torito boot img :\s+2\s+UEFI\s+y\s+none/);
    expect(catalog).toMatch(/El Torito img path :\s+2\s+\/images\/efiboot\.img/);
    // The ESP image, read with mtools: grub's loader and its configuration.
    const esp = join(work, 'efiboot.img');
    execFileSync('xorriso', ['-osirrox', 'on', '-indev', iso, '-extract', '/images/efiboot.img', esp], { stdio: 'ignore' });
    const listing = execFileSync('mdir', ['-i', esp, '-b', '-/', '::/'], { encoding: 'utf8', env: { ...process.env, MTOOLS_SKIP_CHECK: '1' } });
    expect(listing).toContain('::/EFI/BOOT/BOOTX64.EFI');
    expect(listing).toContain('::/EFI/BOOT/grub.cfg');
  });

  it('passes checkisomd5', () => {
    const check = spawnSync('checkisomd5', [iso], { encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
  });

  it('boots to login: from CD-ROM with SeaBIOS (ISOLINUX)', async () => {
    // ISOLINUX waits out upstream's 60 s menu, then loads kernel and initrd
    // through BIOS disk calls, slow under TCG: about 250 s on an idle
    // machine, more than 900 s on a loaded one.
    // osbuild boot attaches an ISO as a CD-ROM by itself.
    const boot = await osbuildBoot('live ISO, BIOS boot to login', iso, 'debian-live login:', { firmware: 'bios', timeoutSeconds: 1_500 });
    expect(boot.ok, tail(boot.output, 60)).toBe(true);
    expect(boot.output).toMatch(/osbuild boot: image: raw, cdrom; ISO 9660 with El Torito entries for BIOS and EFI/);
  }, 1_600_000);

  it.skipIf(ovmf() === null)('boots to login: from CD-ROM with OVMF (grub on the ESP image)', async () => {
    // UEFI is the default for an ISO with an El Torito EFI entry.
    const boot = await osbuildBoot('live ISO, UEFI boot to login', iso, 'debian-live login:', { timeoutSeconds: 900 });
    expect(boot.ok, tail(boot.output, 60)).toBe(true);
    expect(boot.output).toMatch(/osbuild boot: firmware: uefi \(from the image\)/);
  }, 1_000_000);
});

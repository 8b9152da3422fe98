import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStageLocally } from '@osbuild-ts/plugin-kit/testing';
import { entry, listFiles, testdir } from './helpers.js';

const fixtures = join(import.meta.dirname, 'fixtures', 'upstream');
const hasPcModules = existsSync('/usr/lib/grub/i386-pc/normal.mod');

/** The module files upstream copies for a platform: *.mod and *.lst but fdt.lst. */
function expectedModules(platform: string): string[] {
  return readdirSync(join('/usr/lib/grub', platform))
    .filter((name) => /\.(mod|lst)$/.test(name) && name !== 'fdt.lst')
    .map((name) => `boot/grub2/${platform}/${name}`);
}

describe('org.osbuild.grub2 on a tree without Debian markers (BLS, as upstream)', () => {
  for (const name of readdirSync(fixtures).filter((n) => existsSync(join(fixtures, n, 'options.json')))) {
    const options = JSON.parse(readFileSync(join(fixtures, name, 'options.json'), 'utf8')) as Record<string, unknown>;
    const legacy = options['legacy'] === true ? 'i386-pc' : (options['legacy'] as string | undefined);
    it.skipIf(legacy !== undefined && !hasPcModules)(`writes upstream's files byte for byte: ${name}`, async () => {
      const tree = testdir();
      const result = await runStageLocally({ entry, tree, options });
      expect(result.exitCode, result.output).toBe(0);
      const expectedDir = join(fixtures, name, 'expected');
      const expected = listFiles(expectedDir);
      for (const file of expected) {
        expect(readFileSync(join(tree, file), 'utf8'), file).toBe(readFileSync(join(expectedDir, file), 'utf8'));
      }
      const extra = legacy ? [...expectedModules(legacy), 'boot/grub2/fonts/unicode.pf2'] : [];
      expect(listFiles(tree)).toEqual([...expected, ...extra].sort());
      expect(result.output).toContain('# GRUB Environment Block');
    });
  }

  it('writes into an existing vendor directory and keeps what is there', async () => {
    const tree = testdir();
    mkdirSync(join(tree, 'boot/efi/EFI/fedora'), { recursive: true });
    const result = await runStageLocally({ entry, tree, options: { root_fs_uuid: '6e4ff95f-f662-45ee-a82a-bdf44a2d0b75', uefi: { vendor: 'fedora' } } });
    expect(result.exitCode, result.output).toBe(0);
    expect(readFileSync(join(tree, 'boot/efi/EFI/fedora/grub.cfg'), 'utf8')).toContain('blscfg');
  });

  it('keeps the BLS configuration when the tree has loader entries, even on a Debian-like tree', async () => {
    const tree = testdir();
    mkdirSync(join(tree, 'boot/loader/entries'), { recursive: true });
    mkdirSync(join(tree, 'etc'));
    writeFileSync(join(tree, 'boot/loader/entries/x.conf'), 'title x\n');
    writeFileSync(join(tree, 'etc/os-release'), 'ID=debian\n');
    const result = await runStageLocally({ entry, tree, options: { root_fs_uuid: '6e4ff95f-f662-45ee-a82a-bdf44a2d0b75' } });
    expect(result.exitCode, result.output).toBe(0);
    expect(existsSync(join(tree, 'boot/grub2/grub.cfg'))).toBe(true);
    expect(existsSync(join(tree, 'boot/grub'))).toBe(false);
  });

  it('names the missing package when the build root has no modules for the platform', async () => {
    const tree = testdir();
    const result = await runStageLocally({ entry, tree, options: { root_fs_uuid: '6e4ff95f-f662-45ee-a82a-bdf44a2d0b75', legacy: 'powerpc-ieee1275' } });
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain('/usr/lib/grub/powerpc-ieee1275 is missing in the build root: install grub-ieee1275-bin or grub2-ppc64le-modules there');
  });

  it('uefi.install copies BOOT and the vendor directory from efi_src_dir', async () => {
    const tree = testdir();
    const src = testdir('efi-src-');
    mkdirSync(join(src, 'BOOT'));
    mkdirSync(join(src, 'fedora'));
    writeFileSync(join(src, 'BOOT/BOOTX64.EFI'), 'shim');
    writeFileSync(join(src, 'fedora/grubx64.efi'), 'grub');
    writeFileSync(join(src, 'fedora/BOOTX64.CSV'), 'csv');
    const result = await runStageLocally({ entry, tree, options: { root_fs_uuid: '6e4ff95f-f662-45ee-a82a-bdf44a2d0b75', uefi: { vendor: 'fedora', install: true, efi_src_dir: src } } });
    expect(result.exitCode, result.output).toBe(0);
    expect(listFiles(join(tree, 'boot/efi/EFI'))).toEqual(['BOOT/BOOTX64.EFI', 'fedora/BOOTX64.CSV', 'fedora/grub.cfg', 'fedora/grubx64.efi']);
    expect(readFileSync(join(tree, 'boot/efi/EFI/BOOT/BOOTX64.EFI'), 'utf8')).toBe('shim');
  });
});

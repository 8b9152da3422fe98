import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);

describe('schema.json', () => {
  it('accepts the options upstream accepts', () => {
    schema.accepts('options', [
      { filename: 'a.iso', volid: 'A' },
      {
        filename: 'fedora-ostree-boot.iso',
        volid: 'Fedora-IoT-40',
        boot: { image: 'isolinux/isolinux.bin', catalog: 'isolinux/boot.cat' },
        efi: 'images/efiboot.img',
        isohybridmbr: '/usr/share/syslinux/isohdpfx.bin',
      },
      {
        filename: 'a.iso',
        volid: 'A_B-1',
        sysid: 'LINUX',
        pub: 'me',
        appid: 'app',
        prep: 'prep',
        boot: { image: 'images/eltorito.img', catalog: 'boot.cat', nobootinfo: true },
        efi: 'images/efiboot.img',
        grub2mbr: '/usr/lib/grub/i386-pc/boot_hybrid.img',
        isolevel: 3,
        exclude: ['a', 'b'],
      },
      { filename: 'a.iso', volid: 'A', chrp_boot: true, rational_rock: true, untranslated_filenames: true, full_filenames: true, volset: 'set' },
    ]);
  });

  it('refuses what upstream refuses', () => {
    schema.refuses('options', [
      {},
      { filename: 'a.iso' },
      { volid: 'A' },
      { filename: 'a.iso', volid: 'lower' },
      { filename: 'a.iso', volid: 'A', isolevel: 5 },
      { filename: 'a.iso', volid: 'A', boot: { image: 'x' } },
      { filename: 'a.iso', volid: 'A', pub: '' },
      { filename: 'a.iso', volid: 'A', other: 1 },
    ]);
  });

  it('requires a tree input and no other', () => {
    schema.accepts('inputs', [{ tree: { type: 'org.osbuild.tree', origin: 'org.osbuild.pipeline', references: ['name:iso-tree'] } }]);
    schema.refuses('inputs', [{}, { tree: {}, other: {} }]);
  });
});

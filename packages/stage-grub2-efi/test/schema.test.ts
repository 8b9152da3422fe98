import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);

describe('schema.json', () => {
  it('takes a vendor, and optionally where the ESP is, the platform, the file name, more modules and the binary', () => {
    schema.accepts('options', [
      { vendor: 'debian' },
      { vendor: 'fedora', esp: '/efi', platform: 'arm64-efi', filename: 'EFI/BOOT/BOOTAA64.EFI', modules: ['lvm', 'luks2'], binary: 'grub2-mkimage' },
    ]);
  });

  it('refuses the rest', () => {
    schema.refuses('options', [
      {},
      { vendor: '' },
      { vendor: 'a/b' },
      { vendor: 'debian', esp: 'boot/efi' },
      { vendor: 'debian', platform: 'i386-pc' },
      { vendor: 'debian', filename: 'BOOT/x.efi' },
      { vendor: 'debian', modules: ['../x'] },
      { vendor: 'debian', other: 1 },
    ]);
  });
});

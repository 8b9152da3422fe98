import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'schema.json'), 'utf8')) as Record<string, object>;
const options = new Ajv().compile(schema['options'] ?? false);

describe('schema.json', () => {
  it('takes a vendor, and optionally where the ESP is, the platform, the file name, more modules and the binary', () => {
    expect(options({ vendor: 'debian' })).toBe(true);
    expect(options({ vendor: 'fedora', esp: '/efi', platform: 'arm64-efi', filename: 'EFI/BOOT/BOOTAA64.EFI', modules: ['lvm', 'luks2'], binary: 'grub2-mkimage' })).toBe(true);
  });

  it('refuses the rest', () => {
    for (const bad of [{}, { vendor: '' }, { vendor: 'a/b' }, { vendor: 'debian', esp: 'boot/efi' }, { vendor: 'debian', platform: 'i386-pc' }, { vendor: 'debian', filename: 'BOOT/x.efi' }, { vendor: 'debian', modules: ['../x'] }, { vendor: 'debian', other: 1 }]) {
      expect(options(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'schema.json'), 'utf8')) as Record<string, object>;
const options = new Ajv().compile(schema['options'] ?? false);
const devices = new Ajv().compile(schema['devices'] ?? false);

describe('schema.json', () => {
  it("takes org.osbuild.copy's from locations and absolute paths on the FAT file system", () => {
    expect(options({ paths: [{ from: 'input://tree/boot/efi/', to: '/' }, { from: 'tree:///usr/lib/shim/shimx64.efi', to: '/EFI/BOOT/BOOTX64.EFI' }, { from: 'mount://root/boot/', to: '/boot/' }] })).toBe(true);
    expect(devices({ device: { path: '/dev/loop3' } })).toBe(true);
  });

  it('refuses the rest', () => {
    for (const bad of [
      {},
      { paths: [] },
      { paths: [{ from: 'input://tree/x' }] },
      { paths: [{ from: '/x', to: '/' }] },
      { paths: [{ from: 'input://tree/x', to: 'EFI' }] },
      { paths: [{ from: 'input://tree/x', to: 'mount://efi/' }] },
      { paths: [{ from: 'input://tree/x', to: '/', remove_destination: true }] },
    ]) {
      expect(options(bad), JSON.stringify(bad)).toBe(false);
    }
    expect(devices({})).toBe(false);
  });
});

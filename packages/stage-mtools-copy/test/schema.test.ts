import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);

describe('schema.json', () => {
  it("takes org.osbuild.copy's from locations and absolute paths on the FAT file system", () => {
    schema.accepts('options', [
      { paths: [{ from: 'input://tree/boot/efi/', to: '/' }, { from: 'tree:///usr/lib/shim/shimx64.efi', to: '/EFI/BOOT/BOOTX64.EFI' }, { from: 'mount://root/boot/', to: '/boot/' }] },
    ]);
    schema.accepts('devices', [{ device: { path: '/dev/loop3' } }]);
  });

  it('refuses the rest', () => {
    schema.refuses('options', [
      {},
      { paths: [] },
      { paths: [{ from: 'input://tree/x' }] },
      { paths: [{ from: '/x', to: '/' }] },
      { paths: [{ from: 'input://tree/x', to: 'EFI' }] },
      { paths: [{ from: 'input://tree/x', to: 'mount://efi/' }] },
      { paths: [{ from: 'input://tree/x', to: '/', remove_destination: true }] },
    ]);
    schema.refuses('devices', [{}]);
  });
});

import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);

describe('schema.json', () => {
  it('accepts what upstream accepts', () => {
    schema.accepts('options', [
      { label: 'gpt' },
      { label: 'gpt', partitions: [{ start: 2048, size: 2048, name: 'BIOS-BOOT', type: 'bios_grub', bootable: false }] },
      // Upstream's "required" sits on the array, so it requires nothing, and items take any other property.
      { label: 'gpt', partitions: [{ size: 2048 }, { start: 1, fstype: 'ext4' }] },
    ]);
    schema.accepts('devices', [{ device: { type: 'org.osbuild.loopback' } }]);
  });

  it('refuses what upstream refuses', () => {
    schema.refuses('options', [
      {},
      { label: 'dos' },
      { label: 'gpt', uuid: 'D209C89E-EA5E-4FBD-B161-B461CCE297E0' },
      { label: 'gpt', partitions: [{ start: '2048' }] },
      { label: 'gpt', partitions: [{ bootable: 1 }] },
      { label: 'gpt', partitions: {} },
    ]);
    schema.refuses('devices', [{ disk: {} }]);
  });
});

import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);

describe('schema.json', () => {
  it('accepts what upstream accepts', () => {
    schema.accepts('options', [
      { label: 'gpt', uuid: 'D209C89E-EA5E-4FBD-B161-B461CCE297E0' },
      { label: 'mbr', uuid: '0x14fc63d2', partitions: [] },
      {
        label: 'gpt',
        uuid: 'D209C89E-EA5E-4FBD-B161-B461CCE297E0',
        partitions: [
          { start: 2048, size: 2048, type: '21686148-6449-6E6F-744E-656564454649', bootable: true, name: 'BIOS-BOOT', uuid: 'FAC7F1FB-3E8D-4137-A512-961DE09A5549', attrs: [0, 2, 60], partnum: 1 },
          // Upstream's items allow other properties.
          { size: 1, type: 'L', fstype: 'ext4' },
        ],
      },
    ]);
    schema.accepts('devices', [{ device: { type: 'org.osbuild.loopback', options: { filename: 'disk.img' } } }]);
  });

  it('refuses what upstream refuses', () => {
    schema.refuses('options', [
      {},
      { label: 'gpt' },
      { uuid: 'x' },
      { label: 'sun', uuid: 'x' },
      { label: 'gpt', uuid: 'x', extra: 1 },
      { label: 'gpt', uuid: 'x', partitions: [{ start: '2048' }] },
      { label: 'gpt', uuid: 'x', partitions: [{ size: 1.5 }] },
      { label: 'gpt', uuid: 'x', partitions: [{ attrs: [64] }] },
      { label: 'gpt', uuid: 'x', partitions: [{ attrs: [1, 1] }] },
      { label: 'gpt', uuid: 'x', partitions: [{ bootable: 'yes' }] },
    ]);
    schema.refuses('devices', [{}, { device: 'loop0' }]);
  });
});

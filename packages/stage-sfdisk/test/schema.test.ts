import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'schema.json'), 'utf8')) as Record<string, object>;
const options = new Ajv().compile(schema['options'] ?? false);
const devices = new Ajv().compile(schema['devices'] ?? false);

describe('schema.json', () => {
  it('accepts what upstream accepts', () => {
    for (const good of [
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
    ]) {
      expect(options(good), JSON.stringify(good)).toBe(true);
    }
    expect(devices({ device: { type: 'org.osbuild.loopback', options: { filename: 'disk.img' } } })).toBe(true);
  });

  it('refuses what upstream refuses', () => {
    for (const bad of [
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
    ]) {
      expect(options(bad), JSON.stringify(bad)).toBe(false);
    }
    expect(devices({})).toBe(false);
    expect(devices({ device: 'loop0' })).toBe(false);
  });
});

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
      { label: 'gpt' },
      { label: 'gpt', partitions: [{ start: 2048, size: 2048, name: 'BIOS-BOOT', type: 'bios_grub', bootable: false }] },
      // Upstream's "required" sits on the array, so it requires nothing, and items take any other property.
      { label: 'gpt', partitions: [{ size: 2048 }, { start: 1, fstype: 'ext4' }] },
    ]) {
      expect(options(good), JSON.stringify(good)).toBe(true);
    }
    expect(devices({ device: { type: 'org.osbuild.loopback' } })).toBe(true);
  });

  it('refuses what upstream refuses', () => {
    for (const bad of [
      {},
      { label: 'dos' },
      { label: 'gpt', uuid: 'D209C89E-EA5E-4FBD-B161-B461CCE297E0' },
      { label: 'gpt', partitions: [{ start: '2048' }] },
      { label: 'gpt', partitions: [{ bootable: 1 }] },
      { label: 'gpt', partitions: {} },
    ]) {
      expect(options(bad), JSON.stringify(bad)).toBe(false);
    }
    expect(devices({ disk: {} })).toBe(false);
  });
});

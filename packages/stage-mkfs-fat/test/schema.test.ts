import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'schema.json'), 'utf8')) as Record<string, object>;
const options = new Ajv().compile(schema['options'] ?? false);
const devices = new Ajv().compile(schema['devices'] ?? false);

describe('schema.json', () => {
  // The cases of upstream's test_schema_validation_mkfs_fat, and a few more.
  it('accepts what upstream accepts', () => {
    for (const good of [
      { volid: '2e24ec82', label: '12345678901' },
      { volid: '2e24ec82', label: 'label', 'fat-size': 32 },
      { volid: 'volumeid' },
      { volid: '7B7795E7', 'fat-size': 16, geometry: { heads: 255, 'sectors-per-track': 63 } },
    ]) {
      expect(options(good), JSON.stringify(good)).toBe(true);
    }
    expect(devices({ device: { path: 'some-path' } })).toBe(true);
  });

  it('refuses what upstream refuses', () => {
    for (const bad of [
      {},
      { volid: 123 },
      { volid: '2e24ec82', label: '12345678901234567' },
      { volid: '2e24ec82', 'fat-size': 11 },
      { volid: '2e24ec82', geometry: 'text' },
      { volid: '2e24ec82', geometry: { heads: 255 } },
      { volid: '2e24ec82', geometry: { heads: 255, 'sectors-per-track': 63, cylinders: 1 } },
      { volid: '2e24ec82', fat_size: 32 },
    ]) {
      expect(options(bad), JSON.stringify(bad)).toBe(false);
    }
    expect(devices({})).toBe(false);
  });
});

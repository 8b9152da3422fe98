import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'schema.json'), 'utf8')) as Record<string, object>;
const options = new Ajv().compile(schema['options'] ?? false);
const devices = new Ajv().compile(schema['devices'] ?? false);

describe('schema.json', () => {
  // The cases of upstream's test_schema_validation_mkfs_ext4, and a few more.
  it('accepts what upstream accepts', () => {
    for (const good of [
      { uuid: 'some', label: '1234567890123456' },
      { uuid: 'some', label: 'label', verity: true },
      { uuid: 'valid', lazy_init: true },
      { uuid: 'some-uuid' },
      { uuid: 'a957573a-f432-4bed-a0bc-e541bddf8579', orphan_file: false, metadata_csum_seed: true, verity: false, lazy_init: false },
    ]) {
      expect(options(good), JSON.stringify(good)).toBe(true);
    }
    expect(devices({ device: { path: 'some-path' } })).toBe(true);
  });

  it('refuses what upstream refuses', () => {
    for (const bad of [
      {},
      { uuid: 123 },
      { uuid: 'valid', label: '12345678901234567' },
      { uuid: 'valid', verity: 'please' },
      { uuid: 'valid', lazy_init: 'lazy' },
      { uuid: 'valid', journal: true },
    ]) {
      expect(options(bad), JSON.stringify(bad)).toBe(false);
    }
    expect(devices({})).toBe(false);
  });
});

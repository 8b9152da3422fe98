import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);

describe('schema.json', () => {
  // The cases of upstream's test_schema_validation_mkfs_ext4, and a few more.
  it('accepts what upstream accepts', () => {
    schema.accepts('options', [
      { uuid: 'some', label: '1234567890123456' },
      { uuid: 'some', label: 'label', verity: true },
      { uuid: 'valid', lazy_init: true },
      { uuid: 'some-uuid' },
      { uuid: 'a957573a-f432-4bed-a0bc-e541bddf8579', orphan_file: false, metadata_csum_seed: true, verity: false, lazy_init: false },
    ]);
    schema.accepts('devices', [{ device: { path: 'some-path' } }]);
  });

  it('refuses what upstream refuses', () => {
    schema.refuses('options', [
      {},
      { uuid: 123 },
      { uuid: 'valid', label: '12345678901234567' },
      { uuid: 'valid', verity: 'please' },
      { uuid: 'valid', lazy_init: 'lazy' },
      { uuid: 'valid', journal: true },
    ]);
    schema.refuses('devices', [{}]);
  });
});

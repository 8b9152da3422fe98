import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);

describe('schema.json', () => {
  // The cases of upstream's test_schema_validation_mkfs_fat, and a few more.
  it('accepts what upstream accepts', () => {
    schema.accepts('options', [
      { volid: '2e24ec82', label: '12345678901' },
      { volid: '2e24ec82', label: 'label', 'fat-size': 32 },
      { volid: 'volumeid' },
      { volid: '7B7795E7', 'fat-size': 16, geometry: { heads: 255, 'sectors-per-track': 63 } },
    ]);
    schema.accepts('devices', [{ device: { path: 'some-path' } }]);
  });

  it('refuses what upstream refuses', () => {
    schema.refuses('options', [
      {},
      { volid: 123 },
      { volid: '2e24ec82', label: '12345678901234567' },
      { volid: '2e24ec82', 'fat-size': 11 },
      { volid: '2e24ec82', geometry: 'text' },
      { volid: '2e24ec82', geometry: { heads: 255 } },
      { volid: '2e24ec82', geometry: { heads: 255, 'sectors-per-track': 63, cylinders: 1 } },
      { volid: '2e24ec82', fat_size: 32 },
    ]);
    schema.refuses('devices', [{}]);
  });
});

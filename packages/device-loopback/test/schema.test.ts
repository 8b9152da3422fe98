import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);

describe('schema.json', () => {
  it('accepts what upstream accepts', () => {
    schema.accepts('options', [
      { filename: 'disk.img' },
      { filename: 'image/disk.raw', partscan: false, start: 2048, size: 204800, 'sector-size': 4096, lock: true, 'read-only': true },
      // Upstream's sector counts are numbers, not integers.
      { filename: 'disk.img', start: 0.5 },
    ]);
  });

  it('refuses what upstream refuses', () => {
    schema.refuses('options', [
      {},
      { filename: 1 },
      { filename: 'disk.img', start: '2048' },
      { filename: 'disk.img', partscan: 'yes' },
      { filename: 'disk.img', offset: 0 },
    ]);
  });
});

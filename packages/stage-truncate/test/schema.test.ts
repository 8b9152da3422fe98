import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);

describe('schema.json', () => {
  it('accepts what upstream accepts', () => {
    schema.accepts('options', [
      { filename: 'disk.img', size: '10737418240' },
      { filename: '/disk.img', size: '10G' },
      { filename: 'image/disk.raw', size: '+1GiB' },
    ]);
  });

  it('refuses what upstream refuses: a missing or numeric size, other options', () => {
    schema.refuses('options', [
      {},
      { filename: 'disk.img' },
      { size: '1G' },
      { filename: 'disk.img', size: 1073741824 },
      { filename: 'disk.img', size: '1G', sparse: true },
    ]);
  });
});

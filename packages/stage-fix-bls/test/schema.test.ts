import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);

describe('schema.json', () => {
  it('accepts what upstream accepts', () => {
    schema.accepts('options', [{}, { prefix: '/boot' }, { prefix: '' }, { require_boot_prefix: false }, { prefix: '/', require_boot_prefix: true }]);
  });

  it('refuses what upstream refuses', () => {
    schema.refuses('options', [{ prefix: 1 }, { prefix: null }, { require_boot_prefix: 'no' }, { paths: ['/boot'] }]);
  });
});

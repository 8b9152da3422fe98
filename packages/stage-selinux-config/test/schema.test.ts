import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);

describe('schema.json', () => {
  it('accepts what upstream accepts', () => {
    schema.accepts('options', [{}, { state: 'enforcing' }, { state: 'permissive', type: 'targeted' }, { state: 'disabled', type: 'mls' }, { type: 'minimum' }]);
  });

  it('refuses what upstream refuses', () => {
    schema.refuses('options', [{ state: 'on' }, { state: true }, { type: 'default' }, { state: 'enforcing', policy: 'targeted' }]);
  });
});

import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);

describe('schema.json', () => {
  it('accepts what upstream accepts', () => {
    schema.accepts('options', [{ hostname: 'box' }]);
  });

  it('refuses what upstream refuses', () => {
    schema.refuses('options', [{}, { hostname: 1 }, { hostname: 'box', domain: 'x' }]);
  });
});

import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);

describe('schema.json', () => {
  it('accepts what upstream accepts', () => {
    schema.accepts('options', [{ language: 'en_US.UTF-8' }]);
  });

  it('refuses what upstream refuses', () => {
    schema.refuses('options', [{}, { language: 1 }, { language: 'C', keymap: 'us' }]);
  });
});

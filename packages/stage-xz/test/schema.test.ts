import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);

describe('schema.json', () => {
  it('accepts what upstream accepts', () => {
    schema.accepts('options', [{ filename: 'out' }, { filename: '/a/b' }]);
    schema.accepts('inputs', [{ file: { type: 'org.osbuild.files', origin: 'org.osbuild.pipeline', references: { 'name:image': { file: 'disk.raw' } } } }]);
  });

  it('refuses what upstream refuses', () => {
    schema.refuses('options', [{}, { filename: 1 }, { filename: 'x', level: 9 }]);
    schema.refuses('inputs', [{}, { file: {}, tree: {} }]);
  });
});

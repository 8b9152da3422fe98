import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);

describe('schema.json', () => {
  it('accepts what upstream accepts', () => {
    schema.accepts('options', [{}, { prefix: '/' }, { prefix: '/usr/lib/modules' }, { prefix: 'mount://root/boot' }]);
    schema.accepts('inputs', [{ file: { type: 'org.osbuild.files', origin: 'org.osbuild.source', references: { 'sha256:ab': {} } } }]);
  });

  it('refuses what upstream refuses', () => {
    schema.refuses('options', [{ prefix: 1 }, { path: '/' }, { format: 'gnu' }]);
    schema.refuses('inputs', [{}, { file: {}, tree: {} }, { file: 'x' }]);
  });
});

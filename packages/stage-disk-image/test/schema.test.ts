import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const require = createRequire(import.meta.url);
const schema = schemaCases(import.meta.dirname);
const assembler = schemaCases(dirname(require.resolve('@osbuild-ts/assembler-qemu/package.json')));

describe('dist/schema.json', () => {
  it('takes exactly the options of the org.osbuild.qemu assembler', () => {
    expect(schema.path).toMatch(/\/dist\/schema\.json$/);
    expect(schema.file['options']).toEqual(assembler.file['options']);
  });

  it('requires a tree input', () => {
    schema.accepts('inputs', [{ tree: { type: 'org.osbuild.tree', origin: 'org.osbuild.pipeline', references: ['name:os'] } }]);
    schema.refuses('inputs', [{}, { tree: {}, other: {} }]);
  });
});

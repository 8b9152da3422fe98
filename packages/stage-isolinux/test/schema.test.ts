import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);

describe('schema.json', () => {
  it('accepts the options upstream accepts', () => {
    schema.accepts('options', [
      { product: { name: 'Fedora', version: '40' }, kernel: { dir: '/images/pxeboot' } },
      { product: { name: 'Debian', version: '12' }, kernel: { dir: '/live', opts: ['boot=live', 'console=ttyS0'] }, fips: true },
    ]);
  });

  it('refuses what upstream refuses', () => {
    schema.refuses('options', [
      {},
      { product: { name: 'A', version: '1' } },
      { product: { name: 'A' }, kernel: { dir: '/k' } },
      { product: { name: 'A', version: '1' }, kernel: {} },
      { product: { name: 'A', version: '1' }, kernel: { dir: '/k' }, debug: true },
    ]);
  });

  it('requires a data input and no other', () => {
    schema.accepts('inputs', [{ data: { type: 'org.osbuild.tree', origin: 'org.osbuild.pipeline', references: ['name:anaconda-tree'] } }]);
    schema.refuses('inputs', [{}, { data: {}, tree: {} }]);
  });
});

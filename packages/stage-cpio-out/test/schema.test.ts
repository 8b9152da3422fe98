import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);

describe('schema.json', () => {
  it('accepts what upstream accepts', () => {
    schema.accepts('options', [
      { filename: 'initrd.img' },
      ...['bin', 'odc', 'newc', 'crc', 'tar', 'ustar'].map((format) => ({ filename: 'x', format })),
      { filename: 'x', append: true, 'root-node': 'omit', reproducible: false, owner: { user: 'root', group: 'root' } },
    ]);
    schema.accepts('inputs', [{ tree: { type: 'org.osbuild.tree', origin: 'org.osbuild.pipeline', references: ['name:os'] } }]);
  });

  it('refuses what upstream refuses', () => {
    schema.refuses('options', [{}, { filename: 'x', format: 'zip' }, { filename: 'x', owner: { group: 'g' } }, { filename: 'x', 'root-node': 'skip' }, { filename: 'x', compression: 'gzip' }]);
    schema.refuses('inputs', [{}, { tree: {}, file: {} }]);
  });
});

import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);

describe('schema.json', () => {
  it('accepts the options upstream accepts', () => {
    schema.accepts('options', [
      { filename: 'a.tar' },
      { filename: 'a.tar', 'root-node': 'omit' },
      { filename: 'a.tar', paths: ['etc', 'usr'] },
      {
        filename: 'a.tar.xz',
        format: 'posix',
        compression: 'zstd',
        acls: false,
        selinux: false,
        xattrs: false,
        sparse: true,
        transform: 's,^,x/,',
        'numeric-owner': true,
      },
    ]);
  });

  it('refuses what upstream refuses, root-node together with paths included', () => {
    schema.refuses('options', [
      {},
      { filename: 'a.tar', 'root-node': 'include', paths: ['etc'] },
      { filename: 'a.tar', format: 'pax' },
      { filename: 'a.tar', compression: 'bzip2' },
      { filename: 'a.tar', 'root-node': 'skip' },
      { filename: 'a.tar', paths: [1] },
      { filename: 'a.tar', level: 9 },
    ]);
  });

  it('requires a tree input and no other', () => {
    schema.accepts('inputs', [{ tree: { type: 'org.osbuild.tree', origin: 'org.osbuild.pipeline', references: ['name:os'] } }]);
    schema.refuses('inputs', [{}, { tree: {}, other: {} }]);
  });
});

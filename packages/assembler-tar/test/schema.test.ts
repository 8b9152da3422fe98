import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);

describe('schema.json', () => {
  it('accepts what upstream accepts', () => {
    schema.accepts('options', [
      { filename: 'root.tar' },
      ...['bzip2', 'xz', 'lzip', 'lzma', 'lzop', 'gzip'].map((compression) => ({ filename: 'root.tar', compression })),
      { filename: 'root.tar', acls: false, selinux: false, xattrs: false },
    ]);
  });

  it('refuses what upstream refuses', () => {
    schema.refuses('options', [{}, { filename: 'x', compression: 'zstd' }, { filename: 'x', compression: 'auto' }, { filename: 'x', format: 'gnu' }, { filename: 1 }]);
  });
});

import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);

describe('schema.json', () => {
  it('accepts the options upstream accepts', () => {
    schema.accepts('options', [
      { filename: 'rootfs.img' },
      { filename: 'images/install.img', compression: { method: 'lz4' } },
      { filename: 'LiveOS/squashfs.img', compression: { method: 'xz', options: { bcj: 'x86' } } },
      { filename: 'a.sqfs', compression: { method: 'zstd' }, exclude_paths: ['^boot/.*', 'var/cache'] },
      { filename: 'a.sqfs', source: 'mount://root/' },
      { filename: 'a.sqfs', source: 'input://tree/usr' },
    ]);
  });

  it('refuses what upstream refuses', () => {
    schema.refuses('options', [
      {},
      { filename: 1 },
      { filename: 'a', compression: {} },
      { filename: 'a', compression: { method: 'lzo' } },
      { filename: 'a', compression: { method: 'xz', options: { bcj: 'mips' } } },
      { filename: 'a', compression: { method: 'xz', options: { level: 9 } } },
      { filename: 'a', source: 'tree:///usr' },
      { filename: 'a', source: 'input://tree' },
      { filename: 'a', exclude_paths: [1] },
      { filename: 'a', 'block-size': 4096 },
    ]);
  });

  it('requires a tree input and no other', () => {
    schema.accepts('inputs', [{ tree: { type: 'org.osbuild.tree', origin: 'org.osbuild.pipeline', references: ['name:os'] } }]);
    schema.refuses('inputs', [{}, { tree: {}, other: {} }]);
  });
});

import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);

describe('schema.json', () => {
  it('accepts what upstream accepts', () => {
    schema.accepts('options', [
      { filename: 'root.erofs' },
      { filename: 'x', source: 'input://tree/usr', exclude_paths: ['^var'], compression: { method: 'lzma', level: 6 }, 'cluster-size': 131072, options: ['dedupe'] },
      { filename: 'x', source: 'mount://root/' },
      // Upstream's schema spells "items:" for the list of extended options, so any string passes there.
      { filename: 'x', options: ['anything'] },
    ]);
  });

  it('refuses what upstream refuses', () => {
    schema.refuses('options', [{}, { filename: 'x', source: 'tree:///usr' }, { filename: 'x', compression: { method: 'gzip' } }, { filename: 'x', compression: {} }, { filename: 'x', options: [] }]);
    schema.refuses('inputs', [{}]);
  });
});

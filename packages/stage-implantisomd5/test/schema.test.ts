import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);

describe('schema.json', () => {
  it('takes a filename, as upstream', () => {
    schema.accepts('options', [{ filename: 'fedora-ostree-boot.iso' }, { filename: '/a/b.iso' }]);
    schema.refuses('options', [{}, { filename: 1 }, { filename: 'a.iso', force: true }]);
  });
});

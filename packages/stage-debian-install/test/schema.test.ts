import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);

describe('schema.json', () => {
  it('accepts no options or a list of names', () => {
    schema.accepts('options', [{}, { packages: ['less', 'libc6'] }]);
  });

  it('refuses unknown options and odd names', () => {
    schema.refuses('options', [{ suite: 'bookworm' }, { packages: ['-y'] }]);
  });

  it('requires the debs input', () => {
    schema.accepts('inputs', [{ debs: { type: 'org.osbuild.files', origin: 'org.osbuild.source', references: [] } }]);
    schema.refuses('inputs', [{}]);
  });
});

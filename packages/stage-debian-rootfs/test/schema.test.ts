import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);

describe('schema.json', () => {
  it('accepts the documented options', () => {
    schema.accepts('options', [
      { suite: 'bookworm' },
      { suite: 'bookworm', variant: 'essential', packages: ['systemd', 'libc6'], architecture: 'arm64' },
    ]);
  });

  it('refuses a missing suite, unknown variants and options, and odd names', () => {
    schema.refuses('options', [
      {},
      { suite: 'bookworm', variant: 'huge' },
      { suite: 'bookworm', mirror: 'http://x' },
      { suite: 'bookworm', packages: ['--force'] },
      { suite: '../x' },
    ]);
  });

  it('requires the debs input', () => {
    schema.accepts('inputs', [{ debs: { type: 'org.osbuild.files', origin: 'org.osbuild.source', references: [] } }]);
    schema.refuses('inputs', [{}, { debs: {}, tree: {} }]);
  });
});

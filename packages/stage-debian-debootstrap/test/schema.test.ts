import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);

describe('schema.json', () => {
  it("accepts the documents' options and what a Debian user expects besides", () => {
    schema.accepts('options', [
      { suite: 'bookworm' },
      { suite: 'bookworm', mirror: 'https://mirror.example/debian', variant: 'minbase' },
      { suite: 'bookworm', arch: 'arm64' },
      {
        suite: 'trixie',
        variant: 'buildd',
        components: ['main', 'contrib'],
        keyring: '/usr/share/keyrings/debian-archive-keyring.gpg',
        trusted: false,
        extra_packages: ['less'],
        exclude: ['nano'],
        install_recommends: true,
        apt_config: { 'Acquire::Retries': '3' },
      },
    ]);
  });

  it('refuses a missing suite, unknown variants and options, and odd values', () => {
    schema.refuses('options', [
      {},
      { suite: 'bookworm', variant: 'huge' },
      { suite: 'bookworm', packages: ['less'] },
      { suite: 'bookworm', mirror: 'deb.example' },
      { suite: 'bookworm', extra_packages: ['--force'] },
      { suite: 'bookworm', keyring: 'relative.gpg' },
      { suite: 'bookworm', apt_config: { 'Acquire::Retries': 3 } },
      { suite: '../x' },
    ]);
  });

  it('takes the debs input osbuild adds from the lock, and nothing else', () => {
    schema.accepts('inputs', [{}, { debs: { type: 'org.osbuild.files', origin: 'org.osbuild.source', references: [] } }]);
    schema.refuses('inputs', [{ tree: {} }]);
  });
});

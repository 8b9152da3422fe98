import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);

describe('schema.json', () => {
  it("accepts the documents' options", () => {
    schema.accepts('options', [
      { packages: ['sudo', 'openssh-server', 'systemd-sysv'] },
      { packages: ['linux-image-amd64'], install_recommends: true, apt_config: { 'Dpkg::Options::': '--force-confold' } },
    ]);
  });

  it('refuses no packages, odd names and unknown options', () => {
    schema.refuses('options', [{}, { packages: [] }, { packages: ['-y'] }, { packages: ['less'], suite: 'bookworm' }]);
  });

  it('takes the debs input osbuild adds from the lock, and nothing else', () => {
    schema.accepts('inputs', [{}, { debs: { type: 'org.osbuild.files', origin: 'org.osbuild.source', references: [] } }]);
    schema.refuses('inputs', [{ tree: {} }]);
  });
});

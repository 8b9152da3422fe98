import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);
const keys = { type: 'org.osbuild.files', origin: 'org.osbuild.source', references: { 'sha256:c4b98afa43dfd648f02d08faf745f91341eb11fa8081f0527b45467c55bf4ee7': {} } };

describe('schema.json', () => {
  it('accepts what upstream accepts', () => {
    schema.accepts('options', [{}]);
    schema.accepts('inputs', [{ keys }, { keys: {} }]);
  });

  it('refuses what upstream refuses', () => {
    schema.refuses('options', [{ gpgkeys: ['x'] }]);
    schema.refuses('inputs', [{}, { keys, other: keys }, { keys: 'sha256:x' }]);
  });
});

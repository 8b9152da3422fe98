import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);

describe('schema.json', () => {
  it('accepts what upstream accepts', () => {
    schema.accepts('options', [
      { uuid: 'some' },
      { uuid: 'some', label: 'x'.repeat(256) },
      { uuid: 'a957573a-f432-4bed-a0bc-e541bddf8579', label: 'root', metadata: 'dup' },
      { uuid: 'u', metadata: 'single' },
    ]);
    schema.accepts('devices', [{ device: { path: 'some-path' } }]);
  });

  it('refuses what upstream refuses', () => {
    schema.refuses('options', [{}, { uuid: 123 }, { uuid: 'u', label: 'x'.repeat(257) }, { uuid: 'u', metadata: 'raid1' }, { uuid: 'u', data: 'single' }]);
    schema.refuses('devices', [{}]);
  });
});

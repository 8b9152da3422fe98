import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);

describe('schema.json', () => {
  it('accepts what upstream accepts', () => {
    schema.accepts('options', [{ uuid: 'some' }, { uuid: 'some', label: '123456789012' }, { uuid: 'a957573a-f432-4bed-a0bc-e541bddf8579', label: 'root', agcount: 4 }]);
    schema.accepts('devices', [{ device: { path: 'some-path' } }]);
  });

  it('refuses what upstream refuses', () => {
    schema.refuses('options', [{}, { uuid: 123 }, { uuid: 'valid', label: '1234567890123' }, { uuid: 'valid', agcount: '4' }, { uuid: 'valid', agcount: 2.5 }, { uuid: 'valid', force: true }]);
    schema.refuses('devices', [{}]);
  });
});

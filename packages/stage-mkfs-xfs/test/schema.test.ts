import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'schema.json'), 'utf8')) as Record<string, object>;
const options = new Ajv().compile(schema['options'] ?? false);
const devices = new Ajv().compile(schema['devices'] ?? false);

describe('schema.json', () => {
  it('accepts what upstream accepts', () => {
    for (const good of [
      { uuid: 'some' },
      { uuid: 'some', label: '123456789012' },
      { uuid: 'a957573a-f432-4bed-a0bc-e541bddf8579', label: 'root', agcount: 4 },
    ]) {
      expect(options(good), JSON.stringify(good)).toBe(true);
    }
    expect(devices({ device: { path: 'some-path' } })).toBe(true);
  });

  it('refuses what upstream refuses', () => {
    for (const bad of [{}, { uuid: 123 }, { uuid: 'valid', label: '1234567890123' }, { uuid: 'valid', agcount: '4' }, { uuid: 'valid', agcount: 2.5 }, { uuid: 'valid', force: true }]) {
      expect(options(bad), JSON.stringify(bad)).toBe(false);
    }
    expect(devices({})).toBe(false);
  });
});

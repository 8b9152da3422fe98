import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'schema.json'), 'utf8')) as Record<string, object>;
const options = new Ajv().compile(schema['options'] ?? false);
const devices = new Ajv().compile(schema['devices'] ?? false);

describe('schema.json', () => {
  it('accepts what upstream accepts', () => {
    for (const good of [{ uuid: 'some' }, { uuid: 'some', label: 'x'.repeat(256) }, { uuid: 'a957573a-f432-4bed-a0bc-e541bddf8579', label: 'root', metadata: 'dup' }, { uuid: 'u', metadata: 'single' }]) {
      expect(options(good), JSON.stringify(good)).toBe(true);
    }
    expect(devices({ device: { path: 'some-path' } })).toBe(true);
  });

  it('refuses what upstream refuses', () => {
    for (const bad of [{}, { uuid: 123 }, { uuid: 'u', label: 'x'.repeat(257) }, { uuid: 'u', metadata: 'raid1' }, { uuid: 'u', data: 'single' }]) {
      expect(options(bad), JSON.stringify(bad)).toBe(false);
    }
    expect(devices({})).toBe(false);
  });
});

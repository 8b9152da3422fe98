import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'schema.json'), 'utf8')) as Record<string, object>;
const options = new Ajv().compile(schema['options'] ?? false);

describe('schema.json', () => {
  it('accepts what upstream accepts', () => {
    expect(options({ zone: 'Europe/Berlin' })).toBe(true);
  });

  it('refuses what upstream refuses', () => {
    for (const bad of [{}, { zone: 1 }, { zone: 'UTC', utc: true }]) {
      expect(options(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});

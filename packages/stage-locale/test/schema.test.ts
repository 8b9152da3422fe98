import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'schema.json'), 'utf8')) as Record<string, object>;
const options = new Ajv().compile(schema['options'] ?? false);

describe('schema.json', () => {
  it('accepts what upstream accepts', () => {
    expect(options({ language: 'en_US.UTF-8' })).toBe(true);
  });

  it('refuses what upstream refuses', () => {
    for (const bad of [{}, { language: 1 }, { language: 'C', keymap: 'us' }]) {
      expect(options(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'schema.json'), 'utf8')) as Record<string, object>;
const options = new Ajv().compile(schema['options'] ?? false);
const inputs = new Ajv().compile(schema['inputs'] ?? false);

describe('schema.json', () => {
  it('accepts what upstream accepts', () => {
    for (const good of [{}, { prefix: '/' }, { prefix: '/usr/lib/modules' }, { prefix: 'mount://root/boot' }]) {
      expect(options(good), JSON.stringify(good)).toBe(true);
    }
    expect(inputs({ file: { type: 'org.osbuild.files', origin: 'org.osbuild.source', references: { 'sha256:ab': {} } } })).toBe(true);
  });

  it('refuses what upstream refuses', () => {
    for (const bad of [{ prefix: 1 }, { path: '/' }, { format: 'gnu' }]) {
      expect(options(bad), JSON.stringify(bad)).toBe(false);
    }
    expect(inputs({})).toBe(false);
    expect(inputs({ file: {}, tree: {} })).toBe(false);
    expect(inputs({ file: 'x' })).toBe(false);
  });
});

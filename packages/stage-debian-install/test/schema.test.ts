import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'schema.json'), 'utf8')) as { options: object; inputs: object };
const ajv = new Ajv({ strict: false });
const options = ajv.compile(schema.options);
const inputs = ajv.compile(schema.inputs);

describe('schema.json', () => {
  it('accepts no options or a list of names', () => {
    expect(options({})).toBe(true);
    expect(options({ packages: ['less', 'libc6'] })).toBe(true);
  });

  it('refuses unknown options and odd names', () => {
    expect(options({ suite: 'bookworm' })).toBe(false);
    expect(options({ packages: ['-y'] })).toBe(false);
  });

  it('requires the debs input', () => {
    expect(inputs({ debs: { type: 'org.osbuild.files', origin: 'org.osbuild.source', references: [] } })).toBe(true);
    expect(inputs({})).toBe(false);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'schema.json'), 'utf8')) as { options: object; inputs: object };
const ajv = new Ajv({ strict: false });
const options = ajv.compile(schema.options);
const inputs = ajv.compile(schema.inputs);

describe('schema.json', () => {
  it('accepts the documented options', () => {
    expect(options({ suite: 'bookworm' })).toBe(true);
    expect(options({ suite: 'bookworm', variant: 'essential', packages: ['systemd', 'libc6'], architecture: 'arm64' })).toBe(true);
  });

  it('refuses a missing suite, unknown variants and options, and odd names', () => {
    expect(options({})).toBe(false);
    expect(options({ suite: 'bookworm', variant: 'huge' })).toBe(false);
    expect(options({ suite: 'bookworm', mirror: 'http://x' })).toBe(false);
    expect(options({ suite: 'bookworm', packages: ['--force'] })).toBe(false);
    expect(options({ suite: '../x' })).toBe(false);
  });

  it('requires the debs input', () => {
    expect(inputs({ debs: { type: 'org.osbuild.files', origin: 'org.osbuild.source', references: [] } })).toBe(true);
    expect(inputs({})).toBe(false);
    expect(inputs({ debs: {}, tree: {} })).toBe(false);
  });
});

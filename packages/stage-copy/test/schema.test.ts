import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'schema.json'), 'utf8')) as Record<string, object>;
const options = new Ajv().compile(schema['options'] ?? false);

describe('schema.json', () => {
  it('has the parts of a v2 stage, inputs, devices and mounts free-form', () => {
    expect(Object.keys(schema).sort()).toEqual(['devices', 'inputs', 'mounts', 'options']);
    expect(new Ajv().compile(schema['inputs'] ?? false)({ tree: { type: 'org.osbuild.tree' } })).toBe(true);
    expect(new Ajv().compile(schema['mounts'] ?? false)([{ name: 'root' }])).toBe(true);
  });

  it('accepts each source and destination scheme', () => {
    expect(
      options({
        paths: [
          { from: 'input://tree/etc/', to: 'tree:///etc/' },
          { from: 'mount://root/boot', to: 'mount://efi/EFI', remove_destination: true },
          { from: 'tree:///usr/lib/x', to: 'tree:///x' },
        ],
      }),
    ).toBe(true);
  });

  it('refuses what upstream refuses', () => {
    for (const bad of [
      {},
      { paths: [] },
      { paths: [{ from: 'tree:///a' }] },
      { paths: [{ from: '/a', to: 'tree:///b' }] },
      { paths: [{ from: 'tree:///a', to: 'input://tree/b' }] },
      { paths: [{ from: 'input:///a', to: 'tree:///b' }] },
      { paths: [{ from: 'tree:///a', to: 'tree:///b', mode: 0o644 }] },
      { paths: [{ from: 'tree:///a', to: 'tree:///b' }], extra: true },
    ]) {
      expect(options(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});

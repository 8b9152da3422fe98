import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'schema.json'), 'utf8')) as Record<string, object>;
const options = new Ajv().compile(schema['options'] ?? false);

describe('schema.json', () => {
  it('accepts the path forms upstream accepts', () => {
    for (const path of ['/fake_dir', 'fake_relative_dir', 'tree:///fake_parent/fake_dir', 'mount://root/boot/efi', 'mount:///fake_parent/fake_dir']) {
      expect(options({ paths: [{ path, mode: 0o755, parents: true, exist_ok: false }] }), path).toBe(true);
    }
    expect(options({})).toBe(true);
  });

  it('refuses what upstream refuses', () => {
    for (const bad of [
      { paths: [{}] },
      { paths: [{ path: '../up' }] },
      { paths: [{ path: '/a/../../b' }] },
      { paths: [{ path: '/a', mode: '0755' }] },
      { paths: [{ path: '/a', owner: 'root' }] },
      { paths: [{ path: '/a' }], extra: true },
    ]) {
      expect(options(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});

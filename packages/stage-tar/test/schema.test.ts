import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'schema.json'), 'utf8')) as Record<string, object>;
const options = new Ajv().compile(schema['options'] ?? false);
const inputs = new Ajv().compile(schema['inputs'] ?? false);

describe('schema.json', () => {
  it('accepts the options upstream accepts', () => {
    for (const good of [
      { filename: 'a.tar' },
      { filename: 'a.tar', 'root-node': 'omit' },
      { filename: 'a.tar', paths: ['etc', 'usr'] },
      {
        filename: 'a.tar.xz',
        format: 'posix',
        compression: 'zstd',
        acls: false,
        selinux: false,
        xattrs: false,
        sparse: true,
        transform: 's,^,x/,',
        'numeric-owner': true,
      },
    ]) {
      expect(options(good), JSON.stringify(good)).toBe(true);
    }
  });

  it('refuses what upstream refuses, root-node together with paths included', () => {
    for (const bad of [
      {},
      { filename: 'a.tar', 'root-node': 'include', paths: ['etc'] },
      { filename: 'a.tar', format: 'pax' },
      { filename: 'a.tar', compression: 'bzip2' },
      { filename: 'a.tar', 'root-node': 'skip' },
      { filename: 'a.tar', paths: [1] },
      { filename: 'a.tar', level: 9 },
    ]) {
      expect(options(bad), JSON.stringify(bad)).toBe(false);
    }
  });

  it('requires a tree input and no other', () => {
    expect(inputs({ tree: { type: 'org.osbuild.tree', origin: 'org.osbuild.pipeline', references: ['name:os'] } })).toBe(true);
    expect(inputs({})).toBe(false);
    expect(inputs({ tree: {}, other: {} })).toBe(false);
  });
});

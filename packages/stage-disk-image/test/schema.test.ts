import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'dist', 'schema.json'), 'utf8')) as Record<string, object>;
const assembler = JSON.parse(readFileSync(require.resolve('@osbuild-ts/assembler-qemu/schema.json'), 'utf8')) as Record<string, object>;

describe('dist/schema.json', () => {
  it('takes exactly the options of the org.osbuild.qemu assembler', () => {
    expect(schema['options']).toEqual(assembler['options']);
  });

  it('requires a tree input', () => {
    const inputs = new Ajv({ strict: false }).compile(schema['inputs']!);
    expect(inputs({ tree: { type: 'org.osbuild.tree', origin: 'org.osbuild.pipeline', references: ['name:os'] } })).toBe(true);
    expect(inputs({})).toBe(false);
    expect(inputs({ tree: {}, other: {} })).toBe(false);
  });
});

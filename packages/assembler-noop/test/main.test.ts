import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runStageLocally } from '@osbuild-ts/plugin-kit/testing';

const packageDir = join(import.meta.dirname, '..');
const entry = join(packageDir, 'dist', 'main.js');

/** A temporary directory, removed when the test ends. */
function testdir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `noop-${prefix}-`));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('org.osbuild.noop (assembler)', () => {
  it('says so and writes nothing', async () => {
    const output = testdir('output');
    const built = testdir('tree');
    writeFileSync(join(built, 'hostname'), 'box\n');
    const result = await runStageLocally({ entry, tree: output, inputs: { tree: { path: built } } });
    expect(result).toEqual({ exitCode: 0, output: 'Not doing anything with these options: {}\n', metadata: null });
    expect(readdirSync(output)).toEqual([]);
    expect(readdirSync(built)).toEqual(['hostname']);
  });

  it('declares itself a v1 assembler', () => {
    const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { osbuild: unknown };
    expect(pkg.osbuild).toEqual({
      apiVersion: 1,
      kind: 'assembler',
      name: 'org.osbuild.noop',
      schema: './schema.json',
      entry: './dist/main.js',
    });
  });

  it('has a schema that accepts no options at all', () => {
    const schema = JSON.parse(readFileSync(join(packageDir, 'schema.json'), 'utf8')) as Record<string, object>;
    expect(Object.keys(schema)).toEqual(['options']);
    const validate = new Ajv({ strict: true }).compile(schema['options'] ?? false);
    expect(validate({})).toBe(true);
    for (const options of [{ filename: 'x' }, { '': null }, { compression: 'xz' }]) {
      expect(validate(options), JSON.stringify(options)).toBe(false);
      expect(validate.errors?.[0]?.keyword).toBe('additionalProperties');
    }
  });
});

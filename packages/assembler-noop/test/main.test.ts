import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';
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
    const schema = schemaCases(packageDir);
    expect(Object.keys(schema.file)).toEqual(['options']);
    schema.accepts('options', [{}]);
    const errors = schema.refuses('options', [{ filename: 'x' }, { '': null }, { compression: 'xz' }]);
    expect(errors.map((found) => found[0]?.keyword)).toEqual(Array(3).fill('additionalProperties'));
  });
});

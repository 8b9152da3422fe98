import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { stageFiles } from '../src/templates.js';
// @ts-expect-error: a plain .mjs script without types
import { END, START, fillReadme, optionsSection } from '../../../scripts/readme-options.mjs';

const run = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const script = path.join(repoRoot, 'scripts', 'readme-options.mjs');
const temp = mkdtempSync(path.join(tmpdir(), 'readme-options-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('README options tables (scripts/readme-options.mjs)', () => {
  it('are up to date in every plugin package of this repository', async () => {
    const result = await run(process.execPath, [script, '--check']).catch((e: { code: number; stderr: string }) => e);
    expect('stderr' in result ? result.stderr : '').toBe('');
  });

  it('a stale table fails the check, naming the README, and a run rewrites it', async () => {
    const copy = path.join(temp, 'stage-mkdir');
    cpSync(path.join(repoRoot, 'packages', 'stage-mkdir'), copy, { recursive: true, filter: (src) => !src.includes('node_modules') });
    const schema = JSON.parse(readFileSync(path.join(copy, 'schema.json'), 'utf8'));
    schema.options.properties.paths.items.properties.parents.description = 'Make parents';
    writeFileSync(path.join(copy, 'schema.json'), JSON.stringify(schema));
    const stale = await run(process.execPath, [script, '--check', copy]).catch((e: { code: number; stderr: string }) => e);
    expect(stale).toMatchObject({ code: 1, stderr: expect.stringContaining('stage-mkdir/README.md') });
    await run(process.execPath, [script, copy]);
    expect(readFileSync(path.join(copy, 'README.md'), 'utf8')).toContain('| `paths[].parents` | boolean | no | `false` | Make parents |');
    await run(process.execPath, [script, '--check', copy]);
  });

  it('reads both schema forms alike', () => {
    const plain = { type: 'object', required: ['a'], properties: { a: { type: 'string', description: 'A.' } } };
    expect(optionsSection(plain)).toBe(optionsSection({ options: plain }));
    expect(optionsSection(plain)).toContain('| `a` | string | yes |  | A. |');
  });

  it('is what the scaffolder writes into a new stage README', () => {
    const files = stageFiles({ moduleName: 'org.example.hello', packageName: 'x', versions: { pluginKit: '1', core: '1', ajv: '1', tsx: '1', vitest: '1' } });
    const readme = files['README.md']!;
    expect(readme).toContain(START);
    expect(readme).toContain(END);
    expect(fillReadme(readme, optionsSection(JSON.parse(files['schema.json']!)))).toBe(readme);
  });
});

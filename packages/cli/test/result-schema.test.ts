import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeProject, vectorsDir } from './project.js';
import { osbuild } from './run-cli.js';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'schemas', 'result.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true }).compile(schema);
const temp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

/**
 * The public vectors that build on an empty machine: no sources, devices or
 * mounts, no build pipeline (a build root needs a /usr), and stages that need
 * no tree (the real systemd or grub2 stages fail on an empty one, as they should).
 */
const buildable = ['v1-empty', 'v2-minimal', 'v2-numbers'];

function pipelineNames(doc: { version?: string; pipelines?: { name: string }[]; pipeline?: { build?: unknown; assembler?: unknown } }): string[] {
  if (doc.version === '2') return (doc.pipelines ?? []).map((p) => p.name);
  const names = ['tree'];
  for (let p = doc.pipeline, n = 'build'; p?.build; p = (p.build as { pipeline: typeof p }).pipeline, n = `build-${n}`) names.push(n);
  if (doc.pipeline?.assembler) names.push('assembler');
  return names;
}

describe('--json results follow the result document schema', () => {
  let project: string;
  beforeAll(() => {
    project = makeProject();
  });

  for (const name of buildable) {
    it(`${name}: cold, then warm`, async () => {
      const file = join(vectorsDir, `${name}.json`);
      const exports = pipelineNames(JSON.parse(readFileSync(file, 'utf8'))).flatMap((p) => ['--export', p]);
      const args = ['--libdir', project, '--store', temp('osbuild-store-'), '--json', '--output-directory', temp('osbuild-out-'), ...exports, file];
      for (const round of ['cold', 'warm']) {
        const r = await osbuild(args);
        expect(r.status, `${round}: ${r.stderr}`).toBe(0);
        const doc = JSON.parse(r.stdout);
        expect(validate(doc), `${round}: ${JSON.stringify(validate.errors)}`).toBe(true);
        expect(doc.success).toBe(true);
      }
    });
  }

  it('a build pipeline, a source-epoch and stage metadata', async () => {
    const dir = temp('osbuild-manifest-');
    const file = join(dir, 'm.json');
    writeFileSync(file, JSON.stringify({
      version: '2',
      pipelines: [
        { name: 'build', stages: [{ type: 'org.osbuild.mkdir', options: { paths: [{ path: '/usr' }] } }] },
        { name: 'os', build: 'name:build', 'source-epoch': 0, stages: [{ type: 'org.osbuild.noop', options: { x: 1 } }] },
      ],
    }));
    const r = await osbuild(['--libdir', project, '--store', temp('osbuild-store-'), '--json', '--export', 'os', '--output-directory', temp('osbuild-out-'), file]);
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(Object.keys(doc.log)).toEqual(['build', 'os']);
  });

  it('a failed stage (v2 and v1)', async () => {
    const dir = temp('osbuild-manifest-');
    const mkdir = { paths: [{ path: '/a' }] };
    writeFileSync(join(dir, 'v2.json'), JSON.stringify({ version: '2', pipelines: [{ name: 'os', stages: [{ type: 'org.osbuild.mkdir', options: mkdir }, { type: 'org.osbuild.mkdir', options: mkdir }] }] }));
    writeFileSync(join(dir, 'v1.json'), JSON.stringify({ pipeline: { stages: [{ name: 'org.osbuild.mkdir', options: mkdir }, { name: 'org.osbuild.mkdir', options: mkdir }] } }));
    for (const [file, pipeline] of [['v2.json', 'os'], ['v1.json', 'tree']] as const) {
      const r = await osbuild(['--libdir', project, '--store', temp('osbuild-store-'), '--json', '--export', pipeline, '--output-directory', temp('osbuild-out-'), join(dir, file)]);
      expect(r.status).toBe(1);
      const doc = JSON.parse(r.stdout);
      expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
      expect(doc.success).toBe(false);
    }
  });

  it('the schema tells a wrong document apart', () => {
    expect(validate({ type: 'result', success: true, metadata: {}, sources: { success: true }, log: {}, extra: 1 })).toBe(false);
    expect(validate({ type: 'error', success: false, error: { type: 'org.osbuild.error.stage', details: { stage: { id: 'x' } } }, sources: { success: false }, log: {} })).toBe(false);
  });
});

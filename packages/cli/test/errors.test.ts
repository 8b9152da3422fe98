import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeProject } from './project.js';
import { osbuild } from './run-cli.js';

function manifestFile(content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'osbuild-manifest-')), 'manifest.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

const mkdir = (options: unknown) => ({ type: 'org.osbuild.mkdir', options });

describe('invalid manifests: exit 2, the JSON path and what was expected', () => {
  let project: string;
  beforeAll(() => {
    project = makeProject();
  });

  it('a wrong type deep in a stage option', async () => {
    const file = manifestFile({
      version: '2',
      pipelines: [{ name: 'tree', stages: [mkdir({ paths: [{ path: '/a', parents: 'yes' }] })] }],
    });
    const r = await osbuild(['--libdir', project, file]);
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('has errors');
    expect(r.stdout).toContain('pipelines[0].stages[0].options.paths[0].parents');
    expect(r.stdout).toMatch(/boolean/);
  });

  it('the same as one JSON line with --json', async () => {
    const file = manifestFile({
      version: '2',
      pipelines: [{ name: 'tree', stages: [mkdir({ paths: [{ path: '/a', parents: 'yes' }] })] }],
    });
    const r = await osbuild(['--libdir', project, '--json', file]);
    expect(r.status).toBe(2);
    const lines = r.stdout.split('\n');
    expect(lines).toHaveLength(2);
    const doc = JSON.parse(lines[0]!);
    expect(doc).toMatchObject({
      type: 'https://osbuild.org/validation-error',
      title: 'JSON Schema validation failed',
      success: false,
    });
    expect(doc.errors[0].path).toEqual(['pipelines', 0, 'stages', 0, 'options', 'paths', 0, 'parents']);
  });

  it('an unknown stage, with the closest installed names', async () => {
    const file = manifestFile({ version: '2', pipelines: [{ name: 'tree', stages: [{ type: 'org.osbuild.mkdri' }] }] });
    const r = await osbuild(['--libdir', project, file]);
    expect(r.status).toBe(2);
    expect(r.stdout).toContain("could not find schema information for 'org.osbuild.mkdri'");
    expect(r.stdout).toContain('org.osbuild.mkdir');
  });

  it('a v2 pipeline whose build pipeline does not exist', async () => {
    const file = manifestFile({
      version: '2',
      pipelines: [
        { name: 'tree', stages: [mkdir({ paths: [{ path: '/a' }] })] },
        { name: 'image', build: 'name:buildroot', stages: [mkdir({ paths: [{ path: '/b' }] })] },
      ],
    });
    const r = await osbuild(['--libdir', project, '--inspect', file]);
    expect(r.status).toBe(2);
    const doc = JSON.parse(r.stdout);
    expect(doc.errors[0].path).toEqual(['pipelines', 1, 'build']);
    expect(doc.errors[0].message).toContain('buildroot');
  });

  it('not JSON at all', async () => {
    const file = manifestFile('{"version": "2",\n  "pipelines": [}\n');
    const r = await osbuild(['--libdir', project, file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/not valid JSON/);
    expect(r.stderr).toMatch(/line 2/);
  });

  it('an unsupported version', async () => {
    const file = manifestFile({ version: '3', pipelines: [] });
    const r = await osbuild(['--libdir', project, file]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('Unsupported manifest format\n');
    expect(r.stderr).toContain('"version" is "3"');
    expect(r.stderr).toContain('format 1 (no "version" key) and format 2 ("version": "2", a string)');
  });

  it('a version given as a number', async () => {
    const r = await osbuild(['--libdir', project, manifestFile({ version: 2, pipelines: [] })]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('"version" is the number 2 (write the string "2")');
  });

  it('a version 2 manifest written with version 1 keys says which are which', async () => {
    const file = manifestFile({
      version: '2',
      pipelines: [{ name: 'os', stages: [{ name: 'org.osbuild.noop', options: {} }] }],
      assembler: { name: 'org.osbuild.noop' },
    });
    const r = await osbuild(['--libdir', project, file]);
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('unexpected property "assembler" (allowed: version, pipelines, sources, metadata); "assembler" is a version 1 key');
    expect(r.stdout).toContain('unexpected property "name" (allowed: type, options, inputs, devices, mounts); version 1 stages are keyed by "name", version 2 stages by "type"');
    expect(r.stdout).toContain('osbuild convert MANIFEST');
  });

  it('a manifest file that does not exist', async () => {
    const r = await osbuild(['--libdir', project, '/nonexistent/manifest.json']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('cannot read manifest /nonexistent/manifest.json: no such file');
  });
});

describe('command line', () => {
  let project: string;
  let file: string;
  beforeAll(() => {
    project = makeProject();
    file = manifestFile({ version: '2', pipelines: [{ name: 'tree', stages: [mkdir({ paths: [{ path: '/a' }] })] }] });
  });

  it('--version', async () => {
    const r = await osbuild(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^osbuild 191\b/);
  });

  it('usage errors exit 2', async () => {
    expect((await osbuild([])).status).toBe(2);
    expect((await osbuild(['--no-such-flag', file])).status).toBe(2);
    const size = await osbuild(['--cache-max-size', '12 parsecs', file]);
    expect(size.status).toBe(2);
    expect(size.stderr).toContain("invalid size value: '12 parsecs'");
  });

  it('an --export that names no pipeline', async () => {
    const r = await osbuild(['--libdir', project, '--export', 'nope', '--inspect', file]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("Export nope not found in ['tree']\nFailed\n");
  });

  it('a --checkpoint that matches nothing', async () => {
    const r = await osbuild(['--libdir', project, '--checkpoint', 'zzz*', '--inspect', file]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('No checkpoints matched provided patterns!\nFailed\n');
  });

  it('--export without --output-directory', async () => {
    const r = await osbuild(['--libdir', project, '--export', 'tree', file]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('Need --output-directory for --export\n');
  });

  it('finds plugins from the current directory, not from the manifest or the CLI', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'osbuild-empty-'));
    const fromProject = await osbuild(['--inspect', file], { cwd: project });
    expect(fromProject.status).toBe(0);
    const fromEmpty = await osbuild(['--inspect', file], { cwd: elsewhere });
    expect(fromEmpty.status).toBe(2);
    expect(fromEmpty.stdout).toContain("could not find schema information for 'org.osbuild.mkdir'");
  });

  it('osbuild stages lists each plugin with package@version', async () => {
    const r = await osbuild(['stages', '--libdir', project]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/stage\s+org\.osbuild\.mkdir\s+@osbuild-ts\/stage-mkdir@\d+\.\d+\.\d+\s+dist\/main\.js\s/);
    expect(r.stdout).toMatch(/stage\s+org\.osbuild\.noop\s+@osbuild-ts\/stage-noop@/);
  });
});

import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeProject, repoRoot } from './project.js';
import { osbuild } from './run-cli.js';

function temp(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

function manifestFile(doc: unknown): string {
  const file = join(temp('osbuild-manifest-'), 'manifest.json');
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

const mkdir = (...paths: string[]) => ({ type: 'org.osbuild.mkdir', options: { paths: paths.map((path) => ({ path, mode: 0o755 })) } });

describe('osbuild MANIFEST (building)', () => {
  let project: string;
  beforeAll(() => {
    project = makeProject();
  });

  it('without --export builds nothing, as osbuild', async () => {
    const store = temp('osbuild-store-');
    const file = manifestFile({ version: '2', pipelines: [{ name: 'os', stages: [mkdir('/a'), mkdir('/a')] }] });
    const r = await osbuild(['--libdir', project, '--store', store, file]);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('Duration');
    expect(r.stdout).toContain('\nPipelines\n  os:');
  });

  it('builds the sample and exports its tree; a second build runs nothing', async () => {
    const store = temp('osbuild-store-');
    const out = temp('osbuild-out-');
    const args = ['--store', store, '--export', 'tree', '--output-directory', out, join(repoRoot, 'samples', 'hello.json')];
    const cold = await osbuild(args);
    expect(cold.status, cold.stderr).toBe(0);
    // osbuild's LogMonitor when stdout is not a terminal.
    expect(cold.stdout).toContain('starting ');
    expect(cold.stdout).toContain('\norg.osbuild.mkdir: b3bc409ed81f48262236dd9e0c11fc89737c4ea2ba6a8ee6ffa196954055d173 {\n');
    expect(cold.stdout).toContain('finished successfully\n');
    expect(cold.stdout).toMatch(/\nPipelines\n  tree:     \t27501b808f8253ee49e713893d3df225448bb45e1c2bdfc7dcab662afca44c43\n/);
    expect(statSync(join(out, 'tree', 'srv', 'www', 'hello')).isDirectory()).toBe(true);
    const warm = await osbuild(args);
    expect(warm.status).toBe(0);
    expect(warm.stdout).not.toContain('Duration');
    expect(warm.stdout).not.toContain('Pipeline tree');
  });

  it('a failing stage: its name, pipeline, object id, exit status and last output lines; exit 1', async () => {
    const store = temp('osbuild-store-');
    const file = manifestFile({ version: '2', pipelines: [{ name: 'os', stages: [mkdir('/a'), mkdir('/a')] }] });
    const r = await osbuild(['--libdir', project, '--store', store, '--keep-failed', '--export', 'os', '--output-directory', temp('osbuild-out-'), file]);
    expect(r.status).toBe(1);
    expect(r.stdout.endsWith('Failed\n')).toBe(true);
    expect(r.stderr).toMatch(/^osbuild: stage org\.osbuild\.mkdir \(pipeline os, stage 2, object [0-9a-f]{64}\) exited with status 1\n/);
    expect(r.stderr).toContain('/a: already exists');
    const kept = /its tree was kept at (\S+)/.exec(r.stderr)![1]!;
    expect(readdirSync(kept)).toEqual(['a']);
  });

  it('--json prints osbuild\'s result document, with what ran and why in "osbuild-ts"', async () => {
    const store = temp('osbuild-store-');
    const ok = manifestFile({ version: '2', pipelines: [{ name: 'os', stages: [mkdir('/a')] }] });
    const r = await osbuild(['--libdir', project, '--store', store, '--json', '--export', 'os', '--output-directory', temp('osbuild-out-'), ok]);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(['type', 'success', 'metadata', 'sources', 'log', 'osbuild-ts']);
    expect(doc).toMatchObject({ type: 'result', success: true, metadata: {}, sources: { success: true } });
    expect(doc.log.os).toEqual([{ id: expect.stringMatching(/^[0-9a-f]{64}$/), type: 'org.osbuild.mkdir', output: '' }]);
    expect(doc['osbuild-ts'].stages[0]).toMatchObject({ plugin: expect.stringMatching(/^@osbuild-ts\/stage-mkdir@/), entry: 'dist/main.js', cached: false, reason: 'not in store' });

    const bad = manifestFile({ version: '2', pipelines: [{ name: 'os', stages: [mkdir('/a'), mkdir('/a')] }] });
    const f = await osbuild(['--libdir', project, '--store', store, '--json', '--export', 'os', '--output-directory', temp('osbuild-out-'), bad]);
    expect(f.status).toBe(1);
    const err = JSON.parse(f.stdout);
    expect(err).toMatchObject({ type: 'error', success: false, error: { type: 'org.osbuild.error.stage' } });
    expect(err.error.details.stage).toMatchObject({ type: 'org.osbuild.mkdir', error: null });
    expect(err.error.details.stage.output).toContain('/a: already exists');
    // Stage 1 came from the store: only stage 2 ran now.
    expect(err.log.os).toHaveLength(1);
    expect(err.log.os[0].success).toBe(false);
  });

  it('--monitor JSONSeqMonitor writes RFC 7464 records; an unknown monitor is a usage error', async () => {
    const store = temp('osbuild-store-');
    const file = manifestFile({ version: '2', pipelines: [{ name: 'os', stages: [mkdir('/a')] }] });
    const r = await osbuild(['--libdir', project, '--store', store, '--monitor', 'JSONSeqMonitor', '--export', 'os', '--output-directory', temp('osbuild-out-'), file]);
    expect(r.status).toBe(0);
    const records = r.stdout.split('\x1e').slice(1).map((chunk) => chunk.split('\n')[0]!).map((line) => JSON.parse(line));
    expect(records[0].message).toMatch(/^starting /);
    expect(records.some((x) => x.message === 'Starting module org.osbuild.mkdir')).toBe(true);
    expect(records.at(-1).message).toMatch(/finished successfully/);
    const bogus = await osbuild(['--libdir', project, '--store', store, '--monitor', 'Bogus', '--export', 'os', '--output-directory', temp('osbuild-out-'), file]);
    expect(bogus.status).toBe(2);
    expect(bogus.stderr).toContain('unknown monitor: Bogus');
  });

  it('-o puts a v1 manifest\'s last pipeline into a directory', async () => {
    const store = temp('osbuild-store-');
    const out = join(temp('osbuild-out-'), 'o');
    const file = manifestFile({ pipeline: { stages: [mkdir('/srv')].map((s) => ({ name: s.type, options: s.options })) } });
    const r = await osbuild(['--libdir', project, '--store', store, '-o', out, file]);
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(out)).toEqual(['srv']);
  });

  it('--stage-timeout kills a stage that runs too long', async () => {
    const store = temp('osbuild-store-');
    const stage = join(temp('osbuild-stage-'), 'package');
    // A project with one extra plugin that never finishes on its own.
    const projectDir = temp('osbuild-project-');
    const { mkdirSync, symlinkSync } = await import('node:fs');
    mkdirSync(join(projectDir, 'node_modules', '@example'), { recursive: true });
    mkdirSync(stage, { recursive: true });
    writeFileSync(join(stage, 'package.json'), JSON.stringify({
      name: '@example/osbuild-stage-hang', version: '1.0.0', type: 'module',
      osbuild: { apiVersion: 1, kind: 'stage', name: 'org.example.hang', schema: './schema.json', entry: './main.js' },
    }));
    writeFileSync(join(stage, 'schema.json'), '{}');
    writeFileSync(join(stage, 'main.js'), "console.log('hanging'); setInterval(() => {}, 1000);\n");
    symlinkSync(stage, join(projectDir, 'node_modules', '@example', 'osbuild-stage-hang'));
    const file = manifestFile({ version: '2', pipelines: [{ name: 'os', stages: [{ type: 'org.example.hang' }] }] });
    const r = await osbuild(['--libdir', projectDir, '--store', store, '--stage-timeout', '1', '--export', 'os', '--output-directory', temp('osbuild-out-'), file]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('was killed after running longer than 1 s (--stage-timeout)');
    expect(r.stderr).toContain('hanging');
  });
});

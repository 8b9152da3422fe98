import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OSBUILD, REPO, run, tail } from './run.js';

describe('samples/hello.json', () => {
  const work = mkdtempSync(join(tmpdir(), 'sample-hello-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const args = ['--store', join(work, 'store'), '--json', '--export', 'tree', '--output-directory', join(work, 'out'), join(REPO, 'samples', 'hello.json')];

  it('builds the tree the README describes', async () => {
    const r = await run(OSBUILD, args);
    expect(r.status, tail(r.output)).toBe(0);
    expect(statSync(join(work, 'out', 'tree', 'srv', 'www', 'hello')).mode & 0o777).toBe(0o755);
    expect(readdirSync(join(work, 'out', 'tree')).sort()).toEqual(['etc', 'srv']);
  });

  it('runs nothing the second time: every stage comes from the store', async () => {
    rmSync(join(work, 'out'), { recursive: true });
    const r = await run(OSBUILD, args);
    expect(r.status, tail(r.output)).toBe(0);
    const stages = (JSON.parse(r.output) as { 'osbuild-ts': { stages: { cached: boolean }[] } })['osbuild-ts'].stages;
    expect(stages.length).toBe(2);
    expect(stages.every((s) => s.cached)).toBe(true);
  });
});

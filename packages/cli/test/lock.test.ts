// Stages with a resolver (osbuild.resolve): the CLI resolves them before the
// build into a lock file beside the manifest, builds with the locked inputs,
// keeps the ids of the manifest as written, reuses the lock while it fits,
// and refuses a missing or stale one under --locked. The stage and its
// resolver are a real plugin package (test/fixtures/resolved-stage).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeProject } from './project.js';
import { osbuild } from './run-cli.js';

const temp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

describe('resolved stages and the lock file', () => {
  let project: string;
  let dir: string;
  let mirror: string;
  let manifest: string;
  const doc = (from: string) => ({
    version: '2',
    pipelines: [{ name: 'os', stages: [{ type: 'io.example.resolved', options: { from } }, { type: 'org.osbuild.mkdir', options: { paths: [{ path: '/x' }] } }] }],
  });
  beforeAll(() => {
    project = makeProject();
    mkdirSync(join(project, 'node_modules', '@osbuild-ts-test'), { recursive: true });
    symlinkSync(join(import.meta.dirname, 'fixtures', 'resolved-stage'), join(project, 'node_modules', '@osbuild-ts-test', 'resolved-stage'));
    dir = temp('osbuild-lock-');
    mirror = join(dir, 'mirror.txt');
    writeFileSync(mirror, 'one\n');
    manifest = join(dir, 'image.json');
    writeFileSync(manifest, JSON.stringify(doc(mirror)));
  });

  const build = (store: string, out: string, ...flags: string[]) =>
    osbuild(['--libdir', project, '--store', store, '--json', '--export', 'os', '--output-directory', out, ...flags, manifest]);

  it('--locked without a lock fails naming the lock and the stage', async () => {
    const r = await build(temp('osbuild-store-'), temp('osbuild-out-'), '--locked');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`the lock file ${join(dir, 'image.lock.json')} cannot be used: it does not exist; with --locked osbuild does not resolve io.example.resolved again`);
    expect(existsSync(join(dir, 'image.lock.json'))).toBe(false);
  });

  it('the first build resolves, writes image.lock.json and gives the stage its locked input; ids are those of the manifest as written', async () => {
    const store = temp('osbuild-store-');
    const out = temp('osbuild-out-');
    const r = await build(store, out);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('resolving pipeline os, stage 1 (io.example.resolved)');
    const lock = JSON.parse(readFileSync(join(dir, 'image.lock.json'), 'utf8'));
    expect(lock.format).toBe('osbuild-ts.lock.1');
    expect(lock.stages).toHaveLength(1);
    expect(lock.stages[0]).toMatchObject({ pipeline: 'os', index: 0, type: 'io.example.resolved', state: { position: 0 } });
    expect(readFileSync(join(out, 'os', 'content'), 'utf8')).toBe('one\n');
    const inspect = await osbuild(['--libdir', project, '--inspect', manifest]);
    const ids = JSON.parse(inspect.stdout).pipelines[0].stages.map((s: { id: string }) => s.id);
    const built = JSON.parse(r.stdout);
    expect(built['osbuild-ts'].stages.map((s: { id: string }) => s.id)).toEqual(ids);
  });

  it('later builds use the lock even when the "mirror" changed; --update-lock re-resolves and never reuses the old tree', async () => {
    const store = temp('osbuild-store-');
    writeFileSync(mirror, 'two\n');
    const out1 = temp('osbuild-out-');
    const locked = await build(store, out1, '--locked');
    expect(locked.status, locked.stderr).toBe(0);
    expect(readFileSync(join(out1, 'os', 'content'), 'utf8')).toBe('one\n');
    const out2 = temp('osbuild-out-');
    const updated = await build(store, out2, '--update-lock');
    expect(updated.status, updated.stderr).toBe(0);
    expect(readFileSync(join(out2, 'os', 'content'), 'utf8')).toBe('two\n');
    // Same ids, new content: the cache key, not the id, carries the lock.
    const stages = JSON.parse(updated.stdout)['osbuild-ts'].stages as { id: string; cached: boolean }[];
    expect(stages.some((s) => s.cached)).toBe(false);
    expect(JSON.parse(locked.stdout)['osbuild-ts'].stages.map((s: { id: string }) => s.id)).toEqual(stages.map((s) => s.id));
  });

  it('a changed stage makes the lock stale: --locked refuses it naming the stage, a plain build re-resolves', async () => {
    writeFileSync(join(dir, 'other.txt'), 'three\n');
    writeFileSync(manifest, JSON.stringify(doc(join(dir, 'other.txt'))));
    const refused = await build(temp('osbuild-store-'), temp('osbuild-out-'), '--locked');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('pipeline os, stage 1 (io.example.resolved) changed since it was locked');
    const out = temp('osbuild-out-');
    const r = await build(temp('osbuild-store-'), out);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(out, 'os', 'content'), 'utf8')).toBe('three\n');
  });

  it('--lock FILE puts the lock elsewhere; --locked with --update-lock is a usage error', async () => {
    const lockFile = join(temp('osbuild-lockdir-'), 'my.lock');
    const r = await build(temp('osbuild-store-'), temp('osbuild-out-'), '--lock', lockFile);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(lockFile)).toBe(true);
    const both = await build(temp('osbuild-store-'), temp('osbuild-out-'), '--locked', '--update-lock');
    expect(both.status).toBe(2);
  });
});

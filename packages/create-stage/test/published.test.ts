// What a new user does, outside this repository: install the packed
// packages with npm (not pnpm), scaffold a stage with the packed
// create-stage, run its own tests, and build a manifest using it and one of
// ours. npm fetches third-party dependencies (ajv, vitest, tsx…) from the
// registry; our packages come from the tarballs `pnpm pack` makes, mapped
// with npm `overrides` since they are not published yet.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { packPackages, CLI_CLOSURE } from '../../../scripts/pack-packages.mjs';

const run = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');
const quiet = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

let temp: string;
let packs: Record<string, string>;
beforeAll(() => {
  temp = mkdtempSync(path.join(tmpdir(), 'osbuild-ts-published-'));
  expect(path.relative(repoRoot, temp).startsWith('..')).toBe(true);
  packs = packPackages(path.join(temp, 'packs'), [...CLI_CLOSURE, 'plugin-kit', 'stage-mkdir', 'create-stage']) as Record<string, string>;
});
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const fileSpec = (name: string) => `file:${packs[name]}`;
/** npm overrides pointing every packed package at its tarball, but for the project's direct dependencies (npm refuses overrides that contradict them). */
const overrides = (direct: string[]) => Object.fromEntries(Object.keys(packs).filter((n) => !direct.includes(n)).map((n) => [n, fileSpec(n)]));

describe('the packed packages, installed with npm outside the workspace', () => {
  it('scaffold a stage whose tests pass, and build a manifest with it and stage-mkdir', async () => {
    // create-stage has no runtime dependencies: run it straight from its tarball.
    mkdirSync(path.join(temp, 'create-stage'));
    await run('tar', ['xzf', packs['@osbuild-ts/create-stage']!, '-C', path.join(temp, 'create-stage')]);
    const stageDir = path.join(temp, 'hello');
    const created = await run(process.execPath, [path.join(temp, 'create-stage/package/bin/create-stage.js'), 'org.example.hello', stageDir]);
    expect(created.stdout).toContain('Created osbuild-stage-example-hello (org.example.hello)');

    const stagePkg = JSON.parse(readFileSync(path.join(stageDir, 'package.json'), 'utf8'));
    expect(stagePkg.dependencies['@osbuild-ts/plugin-kit']).toMatch(/^\^\d/); // a real range, not workspace:
    stagePkg.dependencies['@osbuild-ts/plugin-kit'] = fileSpec('@osbuild-ts/plugin-kit');
    stagePkg.devDependencies['@osbuild-ts/core'] = fileSpec('@osbuild-ts/core');
    stagePkg.overrides = overrides(['@osbuild-ts/plugin-kit', '@osbuild-ts/core']);
    writeFileSync(path.join(stageDir, 'package.json'), JSON.stringify(stagePkg, null, 2));
    await run('npm', ['install'], { cwd: stageDir, env: quiet });
    const tests = await run('npm', ['test'], { cwd: stageDir, env: { ...quiet, CI: '1' } });
    expect(plain(tests.stdout)).toMatch(/Tests\s+5 passed/);

    const project = path.join(temp, 'project');
    mkdirSync(project);
    const direct = ['@osbuild-ts/cli', '@osbuild-ts/stage-mkdir'];
    writeFileSync(
      path.join(project, 'package.json'),
      JSON.stringify({
        name: 'published-e2e',
        private: true,
        dependencies: { ...Object.fromEntries(direct.map((n) => [n, fileSpec(n)])), 'osbuild-stage-example-hello': 'file:../hello' },
        overrides: overrides([...direct, '@osbuild-ts/create-stage']),
      }),
    );
    await run('npm', ['install'], { cwd: project, env: quiet });
    writeFileSync(
      path.join(project, 'manifest.json'),
      JSON.stringify({
        version: '2',
        pipelines: [
          {
            name: 'tree',
            stages: [
              { type: 'org.osbuild.mkdir', options: { paths: [{ path: '/etc' }] } },
              { type: 'org.example.hello', options: { path: '/etc/motd', text: 'built' } },
            ],
          },
        ],
      }),
    );
    const osbuild = path.join(project, 'node_modules/.bin/osbuild');
    const stages = await run(osbuild, ['stages'], { cwd: project });
    expect(stages.stdout).toMatch(/stage\s+org\.example\.hello\s+osbuild-stage-example-hello@0\.1\.0\s+src\/main\.ts \(TypeScript, via tsx\)/);
    expect(stages.stdout).toMatch(/stage\s+org\.osbuild\.mkdir\s+@osbuild-ts\/stage-mkdir@\d+\.\d+\.\d+\s+dist\/main\.js/);

    const out = path.join(temp, 'out');
    const build = await run(osbuild, ['--store', path.join(temp, 'store'), '--export', 'tree', '--output-directory', out, '--json', 'manifest.json'], { cwd: project });
    expect(readFileSync(path.join(out, 'tree/etc/motd'), 'utf8')).toBe('built\n');
    const doc = JSON.parse(build.stdout);
    expect(doc.metadata.tree['org.example.hello']).toEqual({ written: '/etc/motd', bytes: 6 });
    expect(doc['osbuild-ts'].stages.map((s: { plugin: string; entry: string }) => `${s.plugin} ${s.entry}`)).toEqual([
      expect.stringMatching(/^@osbuild-ts\/stage-mkdir@\d+\.\d+\.\d+ dist\/main\.js$/),
      'osbuild-stage-example-hello@0.1.0 src/main.ts',
    ]);
  }, 300_000);
});

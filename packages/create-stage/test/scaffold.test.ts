import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultPackageName, scaffoldStage } from '../src/scaffold.js';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const packageDir = (name: string) => realpathSync(path.dirname(require.resolve(`${name}/package.json`)));
const temp = mkdtempSync(path.join(tmpdir(), 'create-stage-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** node_modules/<name> → the workspace's copy, as npm install would provide them. */
function linkDependencies(dir: string, names: string[]): void {
  for (const name of names) {
    const link = path.join(dir, 'node_modules', name);
    mkdirSync(path.dirname(link), { recursive: true });
    symlinkSync(packageDir(name), link, 'dir');
  }
}

describe('the package name', () => {
  it('follows the osbuild-stage-* convention', () => {
    expect(defaultPackageName('org.example.hello')).toBe('osbuild-stage-example-hello');
    expect(defaultPackageName('com.acme.motd.v2')).toBe('osbuild-stage-acme-motd-v2');
  });
});

describe('scaffoldStage', () => {
  it('refuses names that are not module names, upstream names, and non-empty directories', () => {
    expect(() => scaffoldStage({ moduleName: 'hello', directory: path.join(temp, 'x') })).toThrow(/not a module name/);
    expect(() => scaffoldStage({ moduleName: 'org.osbuild.hello', directory: path.join(temp, 'x') })).toThrow(/upstream osbuild's namespace/);
    mkdirSync(path.join(temp, 'full'));
    writeFileSync(path.join(temp, 'full', 'f'), '');
    expect(() => scaffoldStage({ moduleName: 'org.example.hello', directory: path.join(temp, 'full') })).toThrow(/not empty/);
  });

  it('writes a package whose own tests pass at once, and which a build runs from its TypeScript source', async () => {
    const dir = path.join(temp, 'hello');
    const result = scaffoldStage({ moduleName: 'org.example.hello', directory: dir });
    expect(result.files).toEqual(['.gitignore', 'README.md', 'package.json', 'schema.json', 'src/main.ts', 'test/main.test.ts', 'test/schema.test.ts', 'tsconfig.json']);
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(pkg.osbuild).toEqual({ apiVersion: 1, kind: 'stage', name: 'org.example.hello', schema: './schema.json', entry: './src/main.ts' });
    expect(pkg.dependencies['@osbuild-ts/plugin-kit']).toMatch(/^\^\d+\.\d+\.\d+$/);

    linkDependencies(dir, ['@osbuild-ts/plugin-kit', '@osbuild-ts/core', 'ajv', 'tsx', 'vitest']);
    const vitest = path.join(packageDir('vitest'), 'vitest.mjs');
    const tests = await run(process.execPath, [vitest, 'run'], { cwd: dir, env: { ...process.env, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0' } }).catch((e: { stdout: string; stderr: string }) => e);
    expect((tests.stdout + tests.stderr).replace(/\x1b\[[0-9;]*m/g, '')).toMatch(/Tests\s+5 passed/);

    // A project with the new stage and one of ours builds a manifest using both.
    const project = path.join(temp, 'project');
    linkDependencies(project, ['@osbuild-ts/stage-mkdir', '@osbuild-ts/cli']);
    symlinkSync(dir, path.join(project, 'node_modules', result.packageName), 'dir');
    const manifest = path.join(project, 'manifest.json');
    writeFileSync(
      manifest,
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
    const out = path.join(temp, 'out');
    const cli = path.join(packageDir('@osbuild-ts/cli'), 'bin', 'osbuild.js');
    const build = await run(process.execPath, [cli, '--store', path.join(temp, 'store'), '--export', 'tree', '--output-directory', out, '--json', manifest], { cwd: project });
    expect(readFileSync(path.join(out, 'tree', 'etc', 'motd'), 'utf8')).toBe('built\n');
    const doc = JSON.parse(build.stdout);
    expect(doc.metadata.tree['org.example.hello']).toEqual({ written: '/etc/motd', bytes: 6 });
    expect(doc['osbuild-ts'].stages.map((s: { plugin: string; entry: string }) => [s.plugin, s.entry])).toEqual([
      [expect.stringMatching(/^@osbuild-ts\/stage-mkdir@\d/), 'dist/main.js'],
      ['osbuild-stage-example-hello@0.1.0', 'src/main.ts'],
    ]);
  });
});

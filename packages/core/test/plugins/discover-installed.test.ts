import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { clearDiscoveryCache, discoverPlugins } from '../../src/plugins/index.js';
import { PLUGINS_DIR } from '../fixtures/make-project.js';

/**
 * Discovery against trees made by the real package managers: fixture plugins
 * are packed with `npm pack` and installed from the tarballs, offline, with
 * npm (flat, real directories) and pnpm (symlinks into .pnpm).
 */

const FIXTURES = ['example-motd', 'stage-noop', 'stage-hostname', 'source-curl'];
let work: string;
const tarballs = new Map<string, string>();

beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'osbuild-ts-installed-'));
  for (const fixture of FIXTURES) tarballs.set(fixture, pack(path.join(PLUGINS_DIR, fixture)));
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));
afterEach(() => clearDiscoveryCache());

/** Environment without the npm/pnpm settings of the process running the tests. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_|pnpm_|PNPM_)/i.test(key)) env[key] = value;
  }
  return { ...env, npm_config_cache: path.join(work, 'npm-cache'), npm_config_update_notifier: 'false' };
}

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, env: cleanEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function pack(dir: string): string {
  const out = path.join(work, 'tarballs');
  mkdirSync(out, { recursive: true });
  const name = run('npm', ['pack', '--pack-destination', out, '--silent', dir], work).trim().split('\n').at(-1) as string;
  return path.join(out, name);
}

function newProject(name: string): string {
  const dir = path.join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, private: true, version: '0.0.0' }));
  return dir;
}

function npmInstall(project: string, files: string[]): void {
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', ...files], project);
}

function pnpmAdd(project: string, files: string[]): void {
  run('pnpm', ['add', '--offline', '--store-dir', path.join(work, 'pnpm-store'), ...files], project);
}

function tarball(fixture: string): string {
  return tarballs.get(fixture) as string;
}

describe('installed with npm', () => {
  test('finds plugins, scoped third-party ones included, from the project and from a subdirectory', async () => {
    const project = newProject('npm-flat');
    npmInstall(project, FIXTURES.map(tarball));

    const registry = await discoverPlugins(project, { cacheDir: null });
    expect(registry.list().map((p) => p.name).sort()).toEqual(['org.example.motd', 'org.osbuild.curl', 'org.osbuild.hostname', 'org.osbuild.noop']);
    const motd = registry.get('stage', 'org.example.motd');
    expect(motd).toMatchObject({
      packageName: '@example/osbuild-stage-motd',
      version: '1.2.0',
      packageDir: path.join(project, 'node_modules', '@example', 'osbuild-stage-motd'),
      entryPath: path.join(project, 'node_modules', '@example', 'osbuild-stage-motd', 'lib', 'main.js'),
      foundVia: path.join(project, 'node_modules'),
    });

    const sub = path.join(project, 'images', 'web');
    mkdirSync(sub, { recursive: true });
    clearDiscoveryCache();
    expect((await discoverPlugins(sub, { cacheDir: null })).get('stage', 'org.example.motd')?.version).toBe('1.2.0');
  });

  test('the index is reused until npm installs a new version, and then rebuilt', async () => {
    const project = newProject('npm-upgrade');
    npmInstall(project, [tarball('example-motd'), tarball('stage-noop')]);

    const first = await discoverPlugins(project);
    expect(first.discovery.fromCache).toBe(false);
    clearDiscoveryCache();
    const second = await discoverPlugins(project);
    expect(second.discovery.fromCache).toBe(true);
    expect(second.get('stage', 'org.example.motd')?.version).toBe('1.2.0');

    npmInstall(project, [packVersion('example-motd', '1.3.0')]);
    clearDiscoveryCache();
    const upgraded = await discoverPlugins(project);
    expect(upgraded.discovery.fromCache).toBe(false);
    expect(upgraded.get('stage', 'org.example.motd')?.version).toBe('1.3.0');
  });

  test('nested projects: plugins of the outer project are found too, the inner one shadows by name', async () => {
    const outer = newProject('npm-outer');
    npmInstall(outer, [tarball('stage-noop'), tarball('example-motd')]);
    const inner = path.join(outer, 'inner');
    mkdirSync(inner);
    writeFileSync(path.join(inner, 'package.json'), JSON.stringify({ name: 'inner', private: true, version: '0.0.0' }));
    npmInstall(inner, [tarball('stage-hostname'), packVersion('example-motd', '2.0.0')]);

    const registry = await discoverPlugins(inner, { cacheDir: null });
    expect(registry.get('stage', 'org.osbuild.noop')?.foundVia).toBe(path.join(outer, 'node_modules'));
    expect(registry.get('stage', 'org.osbuild.hostname')?.foundVia).toBe(path.join(inner, 'node_modules'));
    expect(registry.get('stage', 'org.example.motd')).toMatchObject({ version: '2.0.0', foundVia: path.join(inner, 'node_modules') });
  });

  test('NODE_PATH pointing at other plugins is ignored', async () => {
    const project = newProject('npm-node-path');
    npmInstall(project, [tarball('stage-noop')]);
    const other = newProject('npm-elsewhere');
    npmInstall(other, [tarball('stage-hostname')]);
    const saved = process.env['NODE_PATH'];
    process.env['NODE_PATH'] = path.join(other, 'node_modules');
    try {
      const registry = await discoverPlugins(project, { cacheDir: null });
      expect(registry.list().map((p) => p.name)).toEqual(['org.osbuild.noop']);
    } finally {
      if (saved === undefined) delete process.env['NODE_PATH'];
      else process.env['NODE_PATH'] = saved;
    }
  });
});

describe('installed with pnpm', () => {
  test('follows the symlinks into .pnpm and reports real paths', async () => {
    const project = newProject('pnpm-linked');
    pnpmAdd(project, [tarball('example-motd'), tarball('stage-noop')]);

    const registry = await discoverPlugins(project, { cacheDir: null });
    expect(registry.list().map((p) => p.name).sort()).toEqual(['org.example.motd', 'org.osbuild.noop']);
    const motd = registry.get('stage', 'org.example.motd');
    const linked = path.join(project, 'node_modules', '@example', 'osbuild-stage-motd');
    expect(motd?.packageDir).toBe(realpathSync(linked));
    expect(motd?.packageDir).toContain(`${path.sep}.pnpm${path.sep}`);
    expect(motd?.foundVia).toBe(path.join(project, 'node_modules'));
  });

  test('the index is reused until pnpm switches a version, and then rebuilt', async () => {
    const project = newProject('pnpm-upgrade');
    pnpmAdd(project, [tarball('example-motd')]);
    expect((await discoverPlugins(project)).discovery.fromCache).toBe(false);
    clearDiscoveryCache();
    expect((await discoverPlugins(project)).discovery.fromCache).toBe(true);

    pnpmAdd(project, [packVersion('example-motd', '1.4.0')]);
    clearDiscoveryCache();
    const upgraded = await discoverPlugins(project);
    expect(upgraded.discovery.fromCache).toBe(false);
    expect(upgraded.get('stage', 'org.example.motd')?.version).toBe('1.4.0');
  });

  test('two installed packages claiming one module are a conflict naming both', async () => {
    const project = newProject('pnpm-conflict');
    const impostor = path.join(work, 'src', 'impostor');
    cpSync(path.join(PLUGINS_DIR, 'stage-noop'), impostor, { recursive: true });
    const pkgFile = path.join(impostor, 'package.json');
    const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(pkgFile, JSON.stringify({ ...pkg, name: '@acme/noop-too', version: '3.1.4' }));
    pnpmAdd(project, [tarball('stage-noop'), pack(impostor)]);

    const error = await discoverPlugins(project, { cacheDir: null }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_PLUGIN_CONFLICT' });
    const message = (error as Error).message;
    expect(message).toMatch(/^stage org\.osbuild\.noop is claimed by 2 packages:$/m);
    expect(message).toMatch(/^ {2}@osbuild-ts-fixtures\/stage-noop@1\.0\.0 \(.*\/\.pnpm\/.*\)$/m);
    expect(message).toMatch(/^ {2}@acme\/noop-too@3\.1\.4 \(.*\/\.pnpm\/.*\)$/m);
  });
});

/** A tarball of a fixture under another version. */
function packVersion(fixture: string, version: string): string {
  const dir = path.join(work, 'src', `${fixture}-${version}`);
  cpSync(path.join(PLUGINS_DIR, fixture), dir, { recursive: true });
  const file = path.join(dir, 'package.json');
  const pkg = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  writeFileSync(file, JSON.stringify({ ...pkg, version }, null, 2));
  return pack(dir);
}

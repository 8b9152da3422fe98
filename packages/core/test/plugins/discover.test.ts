import { mkdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync, cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { isOsbuildError, type OsbuildError } from '../../src/errors.js';
import { clearDiscoveryCache, discoverPlugins } from '../../src/plugins/index.js';
import { BROKEN_DIR, PLUGINS_DIR, fixtureNames, linkPackages, useProject } from '../fixtures/make-project.js';

afterEach(() => clearDiscoveryCache());

async function discoveryError(dir: string): Promise<OsbuildError> {
  const error: unknown = await discoverPlugins(dir, { cacheDir: null }).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isOsbuildError(error)) throw new Error(`expected an OsbuildError, got ${String(error)}`);
  return error;
}

describe('discoverPlugins', () => {
  test('finds every fixture plugin, scoped ones included, through symlinks', async () => {
    const project = useProject();
    const registry = await discoverPlugins(project.dir, { cacheDir: null });
    expect(registry.list()).toHaveLength(fixtureNames().length);

    const noop = registry.get('stage', 'org.osbuild.noop');
    expect(noop).toMatchObject({
      kind: 'stage',
      name: 'org.osbuild.noop',
      packageName: '@osbuild-ts-fixtures/stage-noop',
      version: '1.0.0',
      packageDir: path.join(PLUGINS_DIR, 'stage-noop'),
      schemaPath: path.join(PLUGINS_DIR, 'stage-noop', 'schema.json'),
      entryPath: path.join(PLUGINS_DIR, 'stage-noop', 'main.js'),
      apiVersion: 1,
      foundVia: project.nodeModules,
    });
    // Same name, different kinds: both are there.
    expect(registry.get('assembler', 'org.osbuild.tar')?.packageName).toBe('@osbuild-ts-fixtures/assembler-tar');
    expect(registry.get('stage', 'org.osbuild.tar')?.capabilities).toEqual(['CAP_MAC_ADMIN']);
    expect(registry.get('stage', 'org.osbuild.mkfs.ext4')?.tools).toEqual([{ command: 'mkfs.ext4', package: 'e2fsprogs' }]);
    expect(registry.get('stage', 'org.example.motd')?.packageName).toBe('@example/osbuild-stage-motd');
    expect(registry.get('source', 'org.osbuild.files')).toBeUndefined();
  });

  test('list() is sorted by kind, then name', async () => {
    const project = useProject(['source-curl', 'stage-noop', 'assembler-tar', 'stage-copy', 'mount-ext4']);
    const registry = await discoverPlugins(project.dir, { cacheDir: null });
    expect(registry.list().map((p) => `${p.kind} ${p.name}`)).toEqual([
      'stage org.osbuild.copy',
      'stage org.osbuild.noop',
      'assembler org.osbuild.tar',
      'source org.osbuild.curl',
      'mount org.osbuild.ext4',
    ]);
  });

  test('closest() suggests near names of the same kind', async () => {
    const project = useProject();
    const registry = await discoverPlugins(project.dir, { cacheDir: null });
    expect(registry.closest('stage', 'org.osbuild.hostnme')).toEqual(['org.osbuild.hostname']);
    expect(registry.closest('stage', 'org.osbuild.mkfs.ext3')).toEqual(['org.osbuild.mkfs.ext4']);
    expect(registry.closest('device', 'org.osbuild.luks')).toEqual(['org.osbuild.luks2']);
    expect(registry.closest('stage', 'org.osbuild.zzzzzz')).toEqual([]);
  });

  test('walks up from a subdirectory of the project', async () => {
    const project = useProject(['stage-noop']);
    const sub = path.join(project.dir, 'a', 'b');
    mkdirSync(sub, { recursive: true });
    const registry = await discoverPlugins(sub, { cacheDir: null });
    expect(registry.get('stage', 'org.osbuild.noop')?.foundVia).toBe(project.nodeModules);
    expect(registry.discovery.searched.slice(0, 3)).toEqual([
      path.join(sub, 'node_modules'),
      path.join(project.dir, 'a', 'node_modules'),
      project.nodeModules,
    ]);
  });

  test('collects plugins from nested node_modules; the nearer package of one name shadows the farther', async () => {
    const project = useProject(['stage-noop', 'stage-hostname']);
    const inner = path.join(project.dir, 'inner');
    // A different version of stage-hostname, nearer to `inner`.
    const newer = path.join(project.dir, 'copies', 'stage-hostname');
    cpSync(path.join(PLUGINS_DIR, 'stage-hostname'), newer, { recursive: true });
    bumpVersion(newer, '9.0.0');
    mkdirSync(path.join(inner, 'node_modules'), { recursive: true });
    linkPackages(path.join(inner, 'node_modules'), [newer, 'stage-locale']);

    const registry = await discoverPlugins(inner, { cacheDir: null });
    expect(registry.get('stage', 'org.osbuild.hostname')).toMatchObject({ version: '9.0.0', foundVia: path.join(inner, 'node_modules') });
    expect(registry.get('stage', 'org.osbuild.locale')?.foundVia).toBe(path.join(inner, 'node_modules'));
    expect(registry.get('stage', 'org.osbuild.noop')?.foundVia).toBe(project.nodeModules);
  });

  test("does not look inside packages' own node_modules, nor in dot directories", async () => {
    const project = useProject(['stage-noop']);
    const host = path.join(project.nodeModules, 'some-library');
    mkdirSync(path.join(host, 'node_modules'), { recursive: true });
    writeFileSync(path.join(host, 'package.json'), JSON.stringify({ name: 'some-library', version: '1.0.0' }));
    linkPackages(path.join(host, 'node_modules'), ['stage-locale']);
    linkPackages(path.join(project.nodeModules, '.pnpm'), ['stage-hostname']);

    const registry = await discoverPlugins(project.dir, { cacheDir: null });
    expect(registry.list().map((p) => p.name)).toEqual(['org.osbuild.noop']);
  });

  test('one package reachable under two names is one plugin, not a conflict', async () => {
    const project = useProject(['stage-noop']);
    symlinkSync(path.join(PLUGINS_DIR, 'stage-noop'), path.join(project.nodeModules, 'noop-alias'), 'dir');
    const registry = await discoverPlugins(project.dir, { cacheDir: null });
    expect(registry.list()).toHaveLength(1);
  });

  test('ignores NODE_PATH and the tool\'s own location', async () => {
    const project = useProject(['stage-noop']);
    const elsewhere = useProject(['stage-hostname']);
    const saved = process.env['NODE_PATH'];
    process.env['NODE_PATH'] = elsewhere.nodeModules;
    try {
      const registry = await discoverPlugins(project.dir, { cacheDir: null });
      expect(registry.list().map((p) => p.name)).toEqual(['org.osbuild.noop']);
    } finally {
      if (saved === undefined) delete process.env['NODE_PATH'];
      else process.env['NODE_PATH'] = saved;
    }
  });

  test('a project without node_modules has no plugins', async () => {
    const project = useProject([]);
    rmSync(project.nodeModules, { recursive: true });
    const registry = await discoverPlugins(project.dir, { cacheDir: null });
    expect(registry.list()).toEqual([]);
  });
});

describe('discovery errors', () => {
  test('two packages claiming one module: a conflict naming both', async () => {
    const project = useProject(['stage-noop', path.join(BROKEN_DIR, 'duplicate-noop')]);
    const error = await discoveryError(project.dir);
    expect(error.code).toBe('E_PLUGIN_CONFLICT');
    expect(error.message).toContain('stage org.osbuild.noop is claimed by 2 packages');
    expect(error.message).toContain(`@osbuild-ts-fixtures/stage-noop@1.0.0 (${path.join(PLUGINS_DIR, 'stage-noop')})`);
    expect(error.message).toContain(`@osbuild-ts-fixtures/duplicate-noop@2.0.0 (${path.join(BROKEN_DIR, 'duplicate-noop')})`);
    expect(error.details['conflicts']).toHaveLength(1);
  });

  test('conflicts across node_modules levels are conflicts too', async () => {
    const project = useProject(['stage-noop']);
    const inner = path.join(project.dir, 'inner');
    mkdirSync(path.join(inner, 'node_modules'), { recursive: true });
    linkPackages(path.join(inner, 'node_modules'), [path.join(BROKEN_DIR, 'duplicate-noop')]);
    expect((await discoveryError(inner)).code).toBe('E_PLUGIN_CONFLICT');
  });

  test('every broken package is reported at once, one line each', async () => {
    const broken = ['bad-api-version', 'escaping-schema', 'bad-fields'].map((d) => path.join(BROKEN_DIR, d));
    const project = useProject(['stage-noop', ...broken]);
    const error = await discoveryError(project.dir);
    expect(error.code).toBe('E_PLUGIN_DISCOVERY');
    const lines = error.message.split('\n');
    expect(lines[0]).toBe('3 plugin packages are broken:');
    expect(lines).toHaveLength(4);
    const line = (name: string) => lines.find((l) => l.includes(name)) ?? '';
    expect(line('bad-api-version')).toContain('unsupported "osbuild.apiVersion" 2 (this osbuild-ts supports apiVersion 1)');
    expect(line('bad-api-version')).toMatch(/^\s*@osbuild-ts-fixtures\/bad-api-version@1\.0\.0 \(/); // names package and version
    expect(line('escaping-schema')).toContain('"osbuild.schema" (../../plugins/stage-noop/schema.json) points outside the package');
    const bad = line('bad-fields@1.0.0');
    expect(bad).toContain(`(${path.join(BROKEN_DIR, 'bad-fields')})`);
    expect(bad).toContain('unknown key "osbuild.entrypoint"');
    expect(bad).toContain('"osbuild.kind" must be one of stage, assembler, source, input, device, mount; got "stages"');
    expect(bad).toContain('"osbuild.name" must be a dotted module name');
    expect(bad).toContain('"osbuild.entry" (./missing.js) does not exist');
    expect(bad).toContain('"osbuild.capabilities"');
  });

  test('a symlink inside the package that leads out of it is refused', async () => {
    const project = useProject([]);
    const pkg = path.join(project.dir, 'pkgs', 'sneaky');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(path.join(project.dir, 'pkgs', 'outside.js'), '// not part of the package\n');
    symlinkSync('../outside.js', path.join(pkg, 'main.js'));
    writeFileSync(path.join(pkg, 'schema.json'), '{}');
    writeFileSync(
      path.join(pkg, 'package.json'),
      JSON.stringify({
        name: 'sneaky',
        version: '1.0.0',
        osbuild: { apiVersion: 1, kind: 'stage', name: 'org.fixture.sneaky', schema: './schema.json', entry: './main.js' },
      }),
    );
    linkPackages(project.nodeModules, [pkg]);
    const error = await discoveryError(project.dir);
    expect(error.code).toBe('E_PLUGIN_DISCOVERY');
    expect(error.message).toContain(`"osbuild.entry" (./main.js) is a symlink to ${path.join(project.dir, 'pkgs', 'outside.js')}, outside the package`);
  });

  test('a broken package is reported again after a failure (failures are not memoised)', async () => {
    const project = useProject([path.join(BROKEN_DIR, 'bad-api-version')]);
    expect((await discoveryError(project.dir)).code).toBe('E_PLUGIN_DISCOVERY');
    rmSync(path.join(project.nodeModules, '@osbuild-ts-fixtures'), { recursive: true });
    const registry = await discoverPlugins(project.dir, { cacheDir: null });
    expect(registry.list()).toEqual([]);
  });
});

describe('discovery cache', () => {
  test('memoises per directory within the process', async () => {
    const project = useProject(['stage-noop']);
    const first = discoverPlugins(project.dir, { cacheDir: null });
    expect(discoverPlugins(project.dir, { cacheDir: null })).toBe(first);
    clearDiscoveryCache();
    expect(discoverPlugins(project.dir, { cacheDir: null })).not.toBe(first);
  });

  test('persists an index next to node_modules; the next start only stats', async () => {
    const project = useProject(['stage-noop', 'stage-hostname']);
    const first = await discoverPlugins(project.dir);
    expect(first.discovery.fromCache).toBe(false);
    expect(first.discovery.cacheDir).toBe(path.join(project.nodeModules, '.cache', 'osbuild-ts'));

    clearDiscoveryCache();
    const second = await discoverPlugins(project.dir);
    expect(second.discovery.fromCache).toBe(true);
    expect(second.list()).toEqual(first.list());
  });

  test('a plugin changing version invalidates the index', async () => {
    const project = useProject([]);
    const copy = path.join(project.dir, 'pkgs', 'stage-hostname');
    cpSync(path.join(PLUGINS_DIR, 'stage-hostname'), copy, { recursive: true });
    linkPackages(project.nodeModules, [copy]);
    expect((await discoverPlugins(project.dir)).get('stage', 'org.osbuild.hostname')?.version).toBe('1.0.0');

    bumpVersion(copy, '1.0.1');
    clearDiscoveryCache();
    const after = await discoverPlugins(project.dir);
    expect(after.discovery.fromCache).toBe(false);
    expect(after.get('stage', 'org.osbuild.hostname')?.version).toBe('1.0.1');
  });

  test('installing or removing a package invalidates the index', async () => {
    const project = useProject(['stage-noop']);
    await discoverPlugins(project.dir);
    linkPackages(project.nodeModules, ['stage-locale']); // into the existing @osbuild-ts-fixtures scope
    clearDiscoveryCache();
    const added = await discoverPlugins(project.dir);
    expect(added.discovery.fromCache).toBe(false);
    expect(added.get('stage', 'org.osbuild.locale')).toBeDefined();

    clearDiscoveryCache();
    expect((await discoverPlugins(project.dir)).discovery.fromCache).toBe(true);
    rmSync(path.join(project.nodeModules, '@osbuild-ts-fixtures', 'stage-locale'));
    clearDiscoveryCache();
    const removed = await discoverPlugins(project.dir);
    expect(removed.discovery.fromCache).toBe(false);
    expect(removed.get('stage', 'org.osbuild.locale')).toBeUndefined();
  });

  test('a node_modules appearing in a subdirectory invalidates the index of that subdirectory', async () => {
    const project = useProject(['stage-noop']);
    const sub = path.join(project.dir, 'sub');
    mkdirSync(sub);
    await discoverPlugins(sub);
    mkdirSync(path.join(sub, 'node_modules'));
    linkPackages(path.join(sub, 'node_modules'), ['stage-locale']);
    clearDiscoveryCache();
    const registry = await discoverPlugins(sub);
    expect(registry.discovery.fromCache).toBe(false);
    expect(registry.get('stage', 'org.osbuild.locale')).toBeDefined();
  });

  test('without any node_modules up the tree, the index goes to the user cache directory', async () => {
    const project = useProject([]);
    rmSync(project.nodeModules, { recursive: true });
    const xdg = path.join(project.dir, 'xdg-cache');
    const saved = process.env['XDG_CACHE_HOME'];
    process.env['XDG_CACHE_HOME'] = xdg;
    try {
      const registry = await discoverPlugins(project.dir);
      expect(registry.discovery.cacheDir).toBe(path.join(xdg, 'osbuild-ts'));
      clearDiscoveryCache();
      expect((await discoverPlugins(project.dir)).discovery.fromCache).toBe(true);
    } finally {
      if (saved === undefined) delete process.env['XDG_CACHE_HOME'];
      else process.env['XDG_CACHE_HOME'] = saved;
    }
  });
});

function bumpVersion(dir: string, version: string): void {
  const file = path.join(dir, 'package.json');
  const pkg = JSON.parse(readFileSync(file, 'utf8')) as { version: string };
  pkg.version = version;
  writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
  // Make sure the stamp changes even on coarse-mtime file systems.
  const later = new Date(Date.now() + 5000);
  utimesSync(file, later, later);
}

import { mkdir, realpath, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { clearModuleBindsCache, resolveModuleBinds } from '../src/module-binds.js';
import { runInSandbox } from '../src/run.js';
import { reports, tempDir } from './helpers.js';

async function pkg(dir: string, name: string, deps: Record<string, string> = {}, main = ''): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', type: 'module', exports: './index.js', dependencies: deps }));
  await writeFile(path.join(dir, 'index.js'), main || `export const name = ${JSON.stringify(name)};\n`);
  return dir;
}

beforeEach(() => clearModuleBindsCache());

describe('resolveModuleBinds', () => {
  it('npm flat layout: binds each package, nested copies ride along with their parent', async () => {
    const project = await tempDir();
    const nm = path.join(project, 'node_modules');
    await pkg(path.join(nm, 'plugin'), 'plugin', { a: '1', '@s/b': '1' });
    await pkg(path.join(nm, 'a'), 'a', { c: '2' });
    await pkg(path.join(nm, 'a/node_modules/c'), 'c');
    await pkg(path.join(nm, '@s/b'), '@s/b', { c: '1' });
    await pkg(path.join(nm, 'c'), 'c');
    await pkg(path.join(nm, 'unused'), 'unused');
    const binds = await resolveModuleBinds(path.join(nm, 'plugin'));
    expect(binds.dirs).toEqual([path.join(nm, '@s/b'), path.join(nm, 'a'), path.join(nm, 'c'), path.join(nm, 'plugin')]);
    expect(binds.symlinks).toEqual([]);
  });

  it("pnpm layout: binds the real directories in .pnpm and recreates the links Node walks", async () => {
    const project = await tempDir();
    const store = path.join(project, 'node_modules/.pnpm');
    const plugin = await pkg(path.join(store, 'plugin@1.0.0/node_modules/plugin'), 'plugin', { dep: '1' });
    const dep = await pkg(path.join(store, 'dep@1.0.0/node_modules/dep'), 'dep', { '@s/leaf': '1' });
    const leaf = await pkg(path.join(store, '@s+leaf@1.0.0/node_modules/@s/leaf'), '@s/leaf');
    await symlink('../../dep@1.0.0/node_modules/dep', path.join(store, 'plugin@1.0.0/node_modules/dep'));
    await mkdir(path.join(store, 'dep@1.0.0/node_modules/@s'));
    await symlink('../../../@s+leaf@1.0.0/node_modules/@s/leaf', path.join(store, 'dep@1.0.0/node_modules/@s/leaf'));
    await symlink('.pnpm/plugin@1.0.0/node_modules/plugin', path.join(project, 'node_modules/plugin'));

    const binds = await resolveModuleBinds(path.join(project, 'node_modules/plugin'));
    expect(binds.dirs).toEqual([leaf, dep, plugin]);
    expect(binds.symlinks).toEqual([
      { link: path.join(store, 'dep@1.0.0/node_modules/@s/leaf'), target: leaf },
      { link: path.join(store, 'plugin@1.0.0/node_modules/dep'), target: dep },
    ]);
  });

  it('pnpm workspace links: a dependency linked to a sibling package', async () => {
    const project = await tempDir();
    const kit = await pkg(path.join(project, 'packages/kit'), '@o/kit');
    const stage = await pkg(path.join(project, 'packages/stage'), '@o/stage', { '@o/kit': 'workspace:^' });
    await mkdir(path.join(stage, 'node_modules/@o'), { recursive: true });
    await symlink('../../../kit', path.join(stage, 'node_modules/@o/kit'));
    const binds = await resolveModuleBinds(stage);
    // The link lives inside the bound stage directory: the bind shows it, no extra link needed.
    expect(binds).toEqual({ dirs: [kit, stage], symlinks: [] });
  });

  it('follows required peers and optional dependencies, not peers marked optional', async () => {
    const project = await tempDir();
    const nm = path.join(project, 'node_modules');
    const kit = await pkg(path.join(nm, 'kit'), 'kit');
    const manifest = { name: 'kit', version: '1.0.0', type: 'module', exports: './index.js',
      peerDependencies: { needed: '1', 'test-runner': '1' }, peerDependenciesMeta: { 'test-runner': { optional: true } }, optionalDependencies: { native: '1' } };
    await writeFile(path.join(kit, 'package.json'), JSON.stringify(manifest));
    const plugin = await pkg(path.join(nm, 'plugin'), 'plugin', { kit: '1' });
    const needed = await pkg(path.join(nm, 'needed'), 'needed');
    const native = await pkg(path.join(nm, 'native'), 'native');
    await pkg(path.join(nm, 'test-runner'), 'test-runner', { 'runner-dep': '1' });
    await pkg(path.join(nm, 'runner-dep'), 'runner-dep');
    expect((await resolveModuleBinds(plugin)).dirs).toEqual([kit, native, needed, plugin]);
    // Reached through an edge that is not an optional peer, it is bound.
    clearModuleBindsCache();
    const both = await pkg(path.join(nm, 'both'), 'both', { kit: '1', 'test-runner': '1' });
    expect((await resolveModuleBinds(both)).dirs).toEqual([both, kit, native, needed, path.join(nm, 'runner-dep'), path.join(nm, 'test-runner')]);
  });

  it('names a dependency it cannot resolve', async () => {
    const project = await tempDir();
    const plugin = await pkg(path.join(project, 'node_modules/plugin'), 'plugin', { missing: '1' });
    await expect(resolveModuleBinds(plugin)).rejects.toMatchObject({ code: 'E_SANDBOX', message: expect.stringContaining('"missing"') });
  });

  it('imports a pnpm dependency chain inside the sandbox, and nothing else of the project is visible', async () => {
    const project = await tempDir();
    const store = path.join(project, 'node_modules/.pnpm');
    const plugin = await pkg(
      path.join(store, 'plugin@1.0.0/node_modules/plugin'),
      'plugin',
      { dep: '1' },
      `import { readdirSync } from 'node:fs';
import { chain } from 'dep';
console.log('chain ' + JSON.stringify(chain));
console.log('project ' + JSON.stringify(readdirSync(${JSON.stringify(project)}).sort()));
console.log('nm ' + JSON.stringify(readdirSync(${JSON.stringify(path.join(project, 'node_modules'))}).sort()));
`,
    );
    await pkg(path.join(store, 'dep@1.0.0/node_modules/dep'), 'dep', { leaf: '1' }, `import { name } from 'leaf';\nexport const chain = ['dep', name];\n`);
    await pkg(path.join(store, 'leaf@1.0.0/node_modules/leaf'), 'leaf');
    await symlink('../../dep@1.0.0/node_modules/dep', path.join(store, 'plugin@1.0.0/node_modules/dep'));
    await symlink('../../leaf@1.0.0/node_modules/leaf', path.join(store, 'dep@1.0.0/node_modules/leaf'));
    await symlink('.pnpm/plugin@1.0.0/node_modules/plugin', path.join(project, 'node_modules/plugin'));
    await mkdir(path.join(project, '.osbuild/store'), { recursive: true });
    await pkg(path.join(store, 'secret@1.0.0/node_modules/secret'), 'secret');

    const tree = await tempDir();
    const lines: string[] = [];
    const result = await runInSandbox({
      entry: path.join(project, 'node_modules/plugin/index.js'),
      packageDir: path.join(project, 'node_modules/plugin'),
      root: null,
      tree,
      arguments: {},
      onOutput: (line) => lines.push(line),
    });
    expect(result.exitCode, lines.join('\n')).toBe(0);
    expect(reports(lines)).toEqual({ chain: ['dep', 'leaf'], project: ['node_modules'], nm: ['.pnpm'] });
    expect(plugin).toContain('.pnpm');
  });
});

describe('resolveModuleBinds on this repository', () => {
  const self = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');

  it("follows a pnpm workspace link and .pnpm links, and binds no project directory", async () => {
    const binds = await resolveModuleBinds(self);
    const core = await realpath(path.join(self, 'node_modules/@osbuild-ts/core'));
    expect(binds.dirs).toContain(self);
    expect(binds.dirs).toContain(core);
    expect(binds.dirs.some((dir) => /\/node_modules\/\.pnpm\/execa@[^/]+\/node_modules\/execa$/.test(dir))).toBe(true);
    expect(binds.symlinks.some((link) => link.link.includes('/.pnpm/execa@'))).toBe(true);
    const project = path.resolve(self, '../..');
    expect(binds.dirs).not.toContain(project);
    expect(binds.dirs).not.toContain(path.join(project, 'node_modules'));
  });

  it('lets an entry import those dependencies inside the sandbox', async () => {
    const lines: string[] = [];
    const result = await runInSandbox({
      entry: path.join(self, 'test/fixtures/import-deps.mjs'),
      packageDir: self,
      root: null,
      tree: await tempDir(),
      arguments: {},
      tempDir: await tempDir(),
      onOutput: (line) => lines.push(line),
    });
    expect(result.exitCode, lines.join('\n')).toBe(0);
    expect(lines).toEqual(['execa works']);
  });
});

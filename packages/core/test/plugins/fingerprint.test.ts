import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, expect, test } from 'vitest';
import { clearFingerprintCache, fingerprint, hashPackage } from '../../src/plugins/index.js';
import { PLUGINS_DIR } from '../fixtures/make-project.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'osbuild-ts-fingerprint-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
afterEach(() => clearFingerprintCache());

function copyOf(fixture: string, name: string): string {
  const dir = path.join(work, name);
  cpSync(path.join(PLUGINS_DIR, fixture), dir, { recursive: true });
  return dir;
}

test('name, version and a sha256 of the content', async () => {
  const dir = copyOf('example-motd', 'a');
  const print = await fingerprint({ packageName: '@example/osbuild-stage-motd', version: '1.2.0', packageDir: dir });
  expect(print.name).toBe('@example/osbuild-stage-motd');
  expect(print.version).toBe('1.2.0');
  expect(print.contentHash).toMatch(/^[0-9a-f]{64}$/);
});

test('depends on content only: same files elsewhere hash the same', async () => {
  expect(await hashPackage(copyOf('example-motd', 'b'))).toBe(await hashPackage(copyOf('example-motd', 'c')));
});

test('changes when a byte, a name or a symlink target changes', async () => {
  const dir = copyOf('example-motd', 'd');
  const base = await hashPackage(dir);
  writeFileSync(path.join(dir, 'lib', 'main.js'), '// changed\n');
  const edited = await hashPackage(dir);
  expect(edited).not.toBe(base);

  cpSync(path.join(dir, 'lib', 'main.js'), path.join(dir, 'lib', 'main2.js'));
  rmSync(path.join(dir, 'lib', 'main.js'));
  expect(await hashPackage(dir)).not.toBe(edited);

  symlinkSync('main2.js', path.join(dir, 'lib', 'link.js'));
  const linked = await hashPackage(dir);
  rmSync(path.join(dir, 'lib', 'link.js'));
  symlinkSync('../schema.json', path.join(dir, 'lib', 'link.js'));
  expect(await hashPackage(dir)).not.toBe(linked);
});

test('ignores node_modules at any depth', async () => {
  const dir = copyOf('example-motd', 'e');
  const base = await hashPackage(dir);
  mkdirSync(path.join(dir, 'node_modules', 'dep'), { recursive: true });
  writeFileSync(path.join(dir, 'node_modules', 'dep', 'index.js'), 'x');
  mkdirSync(path.join(dir, 'lib', 'node_modules'), { recursive: true });
  writeFileSync(path.join(dir, 'lib', 'node_modules', 'y.js'), 'y');
  expect(await hashPackage(dir)).toBe(base);
});

test('is computed once per package per process', async () => {
  const dir = copyOf('example-motd', 'f');
  const plugin = { packageName: 'x', version: '1.0.0', packageDir: dir };
  const first = await fingerprint(plugin);
  writeFileSync(path.join(dir, 'schema.json'), '{"changed": true}');
  expect(await fingerprint(plugin)).toEqual(first);
  clearFingerprintCache();
  expect((await fingerprint(plugin)).contentHash).not.toBe(first.contentHash);
});

test('only the files a package publishes count when it lists them', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'osbuild-ts-published-'));
  mkdirSync(path.join(dir, 'dist'));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'x', version: '1.0.0', files: ['dist', 'schema.json'] }));
  writeFileSync(path.join(dir, 'dist', 'main.js'), 'console.log(1)\n');
  writeFileSync(path.join(dir, 'schema.json'), '{}');
  const base = await hashPackage(dir);
  writeFileSync(path.join(dir, 'test-results.json'), '{"numPassedTests": 3}');
  mkdirSync(path.join(dir, 'test'));
  writeFileSync(path.join(dir, 'test', 'a.test.ts'), '');
  expect(await hashPackage(dir)).toBe(base);
  writeFileSync(path.join(dir, 'dist', 'main.js'), 'console.log(2)\n');
  expect(await hashPackage(dir)).not.toBe(base);
});

test('covers the code a plugin runs from its dependencies: a linked one by content, an installed one by version', async () => {
  const project = mkdtempSync(path.join(work, 'deps-'));
  const write = (dir: string, pkg: object, main = '') => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg));
    writeFileSync(path.join(dir, 'index.js'), main);
  };
  // The stage runs a shared library that is linked from elsewhere (a workspace
  // package), which in turn depends on a package installed from a registry.
  const shared = path.join(project, 'packages', 'shared');
  write(shared, { name: 'shared', version: '1.0.0', dependencies: { lib: '^2' } }, 'export const install = 1;\n');
  write(path.join(project, 'node_modules', 'lib'), { name: 'lib', version: '2.0.0' });
  const stage = path.join(project, 'packages', 'stage');
  write(stage, { name: 'stage', version: '1.0.0', dependencies: { shared: 'workspace:^' } });
  mkdirSync(path.join(stage, 'node_modules'));
  symlinkSync(shared, path.join(stage, 'node_modules', 'shared'));
  const plugin = { packageName: 'stage', version: '1.0.0', packageDir: stage };
  const print = async () => {
    clearFingerprintCache();
    return (await fingerprint(plugin)).contentHash;
  };

  const base = await print();
  expect(await print()).toBe(base);
  writeFileSync(path.join(shared, 'index.js'), 'export const install = 2;\n');
  const sharedEdited = await print();
  expect(sharedEdited).not.toBe(base);
  write(path.join(project, 'node_modules', 'lib'), { name: 'lib', version: '2.1.0' });
  const libUpgraded = await print();
  expect(libUpgraded).not.toBe(sharedEdited);
  // A dependency's tests and build caches are not what runs: they do not count.
  writeFileSync(path.join(shared, 'notes.txt'), 'x');
  writeFileSync(path.join(shared, 'package.json'), JSON.stringify({ name: 'shared', version: '1.0.0', files: ['index.js'], dependencies: { lib: '^2' } }));
  const listed = await print();
  writeFileSync(path.join(shared, 'notes.txt'), 'y');
  expect(await print()).toBe(listed);
});

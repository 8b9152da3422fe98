import { expect, test } from 'vitest';
import { createRegistry } from '../../src/plugins/index.js';

test("the engine's own inputs are there without any package installed", () => {
  const registry = createRegistry([]);
  expect(registry.get('input', 'org.osbuild.tree')).toMatchObject({ packageName: '@osbuild-ts/core', entryPath: '', foundVia: 'built in' });
  expect(registry.get('input', 'org.osbuild.files')?.schemaPath).toMatch(/schemas\/builtin\/input-files\.schema\.json$/);
  expect(registry.list()).toEqual([]);
});

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PluginRecord } from './types.js';

/**
 * Modules the engine implements itself, so every project has them: the
 * inputs `org.osbuild.tree` (a pipeline's tree, read-only) and
 * `org.osbuild.files` (files from sources or from a pipeline's tree). In
 * osbuild they are host services, not sandboxed programs, and so here: they
 * have a schema but no entry. An installed plugin of the same name wins.
 */
export function builtinPlugins(): PluginRecord[] {
  // Two levels below the package root, from src/plugins, dist/plugins or dist/bundle alike.
  const packageDir = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
  const version = (JSON.parse(readFileSync(`${packageDir}/package.json`, 'utf8')) as { version: string }).version;
  return ['tree', 'files'].map((short) => ({
    kind: 'input',
    name: `org.osbuild.${short}`,
    packageName: '@osbuild-ts/core',
    version,
    packageDir,
    schemaPath: `${packageDir}/schemas/builtin/input-${short}.schema.json`,
    entryPath: '',
    capabilities: [],
    tools: [],
    apiVersion: 1,
    foundVia: 'built in',
  }));
}

import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { OsbuildError } from './errors.js';
import { mergeModuleBinds, resolveModuleBinds, type ModuleBinds } from './module-binds.js';

/**
 * Stage development without a build step: an `osbuild.entry` that is a
 * TypeScript file runs through tsx's loader. Published packages ship
 * compiled JavaScript and never come here. tsx is a dependency of this
 * package (it starts Node), not of each plugin, so its files and their
 * dependency closure are bound into the sandbox next to the plugin's own.
 */

const TYPESCRIPT_ENTRY = /\.(?:ts|mts|cts)$/;

/** True when `entry` is TypeScript source that Node cannot run on its own. */
export function isTypeScriptEntry(entry: string): boolean {
  return TYPESCRIPT_ENTRY.test(entry) && !entry.endsWith('.d.ts');
}

export interface EntryLoader {
  /** Node options that go before the script (`--import <tsx>`). */
  nodeOptions: string[];
  /** What the sandbox must bind so those options work inside it. */
  binds: ModuleBinds;
}

const NONE: EntryLoader = { nodeOptions: [], binds: { dirs: [], symlinks: [] } };
let tsx: Promise<EntryLoader> | undefined;

/** The loader `entry` needs: nothing for JavaScript, tsx for TypeScript. */
export function entryLoader(entry: string): Promise<EntryLoader> {
  if (!isTypeScriptEntry(entry)) return Promise.resolve(NONE);
  tsx ??= tsxLoader();
  tsx.catch(() => (tsx = undefined));
  return tsx;
}

async function tsxLoader(): Promise<EntryLoader> {
  const require = createRequire(import.meta.url);
  let manifest: string;
  try {
    manifest = require.resolve('tsx/package.json');
  } catch (cause) {
    throw new OsbuildError('E_SANDBOX', 'a TypeScript stage entry needs tsx, which @osbuild-ts/sandbox depends on but cannot find', {
      cause,
      hint: 'Reinstall @osbuild-ts/sandbox with its dependencies, or build the stage to JavaScript and point "osbuild.entry" at the result.',
    });
  }
  const dir = path.dirname(manifest);
  // `tsx/esm` registers the ESM loader; resolved on the host, so the path is the same inside the sandbox.
  const esm = require.resolve('tsx/esm');
  return { nodeOptions: ['--import', pathToFileURL(esm).href], binds: await resolveModuleBinds(dir) };
}

/** The plugin's binds plus the loader's. */
export function withLoaderBinds(plugin: ModuleBinds, loader: EntryLoader): ModuleBinds {
  return loader.binds.dirs.length === 0 ? plugin : mergeModuleBinds(plugin, loader.binds);
}

/**
 * Node options for running `entry` on the host, outside any sandbox (source,
 * device and mount plugins): tsx's `--import` for TypeScript, nothing otherwise.
 */
export function hostNodeOptions(entry: string): string[] {
  if (!isTypeScriptEntry(entry)) return [];
  return ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href];
}

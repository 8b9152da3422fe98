import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clearDiscoveryCache, discoverPlugins, type Registry } from '../../src/plugins/index.js';
import { makeProject } from '../fixtures/make-project.js';

/**
 * A registry of all good fixture plugins (plus any extra package
 * directories), with its own throwaway cache directory.
 */
export async function fixtureRegistry(extra: string[] = []): Promise<{ registry: Registry; cacheDir: string; remove(): void }> {
  const project = makeProject();
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'osbuild-ts-validators-'));
  if (extra.length > 0) {
    const { linkPackages } = await import('../fixtures/make-project.js');
    linkPackages(project.nodeModules, extra);
  }
  clearDiscoveryCache();
  const registry = await discoverPlugins(project.dir, { cacheDir });
  return {
    registry,
    cacheDir,
    remove() {
      project.remove();
      rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}

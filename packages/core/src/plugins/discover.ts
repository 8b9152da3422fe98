import { realpathSync } from 'node:fs';
import path from 'node:path';
import { chooseCacheDir, ensureDir } from './cache-dir.js';
import { indexPath, readIndex, writeIndex } from './discovery-index.js';
import { createRegistry } from './registry.js';
import { nodeModulesCandidates } from './search-path.js';
import type { Registry } from './types.js';

export interface DiscoverOptions {
  /**
   * Where to keep the discovery index (and compiled validators). Default:
   * next to the project's node_modules (see cache-dir.ts). `null` disables
   * persistence.
   */
  cacheDir?: string | null;
}

const memo = new Map<string, Promise<Registry>>();

/**
 * Finds every installed plugin visible from `projectDir` (`--libdir`, else the
 * current directory — never the manifest's directory or the CLI's own
 * location). Memoised per directory for the life of the process, and backed
 * by a persisted index so that a start with nothing changed costs only stat
 * calls. Throws E_PLUGIN_DISCOVERY listing every broken package at once, or
 * E_PLUGIN_CONFLICT naming every package that claims one module.
 */
export function discoverPlugins(projectDir: string, options: DiscoverOptions = {}): Promise<Registry> {
  const dir = realDir(projectDir);
  const key = `${dir}\0${options.cacheDir === undefined ? '' : String(options.cacheDir)}`;
  let pending = memo.get(key);
  if (pending === undefined) {
    pending = discoverNow(dir, options);
    memo.set(key, pending);
    // A failure is not remembered: the user fixes the package and we look again.
    pending.catch(() => memo.delete(key));
  }
  return pending;
}

/** Forgets in-process results (tests; long-running callers after installs). */
export function clearDiscoveryCache(): void {
  memo.clear();
}

async function discoverNow(projectDir: string, options: DiscoverOptions): Promise<Registry> {
  const searched = nodeModulesCandidates(projectDir);
  const cacheDir = options.cacheDir === undefined ? chooseCacheDir(searched) : options.cacheDir;
  const index = cacheDir === null ? undefined : indexPath(cacheDir, projectDir);
  const info = { projectDir, cacheDir, searched };

  if (index !== undefined) {
    const cached = readIndex(index, projectDir);
    if (cached !== undefined) return createRegistry(cached, { ...info, fromCache: true });
    // Before stamping: creating the cache directory inside node_modules
    // changes that directory's mtime.
    ensureDir(path.dirname(index));
  }
  // The scanner and field checks are only needed when the index is stale.
  const { scanPlugins } = await import('./scan-plugins.js');
  const { records, stamps } = scanPlugins(searched);
  if (index !== undefined) writeIndex(index, projectDir, stamps, records);
  return createRegistry(records, { ...info, fromCache: false });
}

function realDir(dir: string): string {
  const absolute = path.resolve(dir);
  try {
    return realpathSync(absolute);
  } catch {
    return absolute; // a missing directory simply has no plugins
  }
}

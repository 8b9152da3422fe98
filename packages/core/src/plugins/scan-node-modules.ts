import { readdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { statStamp, type StatStamp } from './discovery-index.js';

/**
 * Lists the packages a project can see, the way Node's resolver would: the
 * top level (and `@scope/*`) of `node_modules` in the project directory and
 * each ancestor up to `/`, nearest first. Never NODE_PATH, never the tool's
 * own install location, never `require.resolve`.
 */

export interface PackageLocation {
  /** The name Node would resolve it by: its directory name under node_modules. */
  locationName: string;
  /** Where it was found (may be a symlink, as in pnpm and workspace layouts). */
  location: string;
  /** Its real path; two locations with one real path are one package. */
  realDir: string;
  /** The node_modules directory it was found in. */
  foundVia: string;
}

export interface Scan {
  packages: PackageLocation[];
  stamps: StatStamp[];
}

export function scanNodeModules(candidates: string[]): Scan {
  const packages: PackageLocation[] = [];
  const stamps: StatStamp[] = [];
  const shadowed = new Set<string>();
  const seenReal = new Set<string>();

  const consider = (nodeModules: string, locationName: string) => {
    // A nearer package of the same name hides farther ones, as in Node.
    if (shadowed.has(locationName)) return;
    const location = path.join(nodeModules, locationName);
    let realDir: string;
    try {
      realDir = realpathSync(location);
    } catch {
      return; // a dangling symlink hides nothing: Node would look further up too
    }
    shadowed.add(locationName);
    if (seenReal.has(realDir)) return;
    seenReal.add(realDir);
    packages.push({ locationName, location, realDir, foundVia: nodeModules });
  };

  for (const nodeModules of candidates) {
    // Stamp before reading, so a change during the scan invalidates the index.
    const stamp = statStamp(nodeModules);
    stamps.push([nodeModules, stamp]);
    if (stamp === 'missing') continue;
    for (const entry of listDir(nodeModules)) {
      if (entry.startsWith('.')) continue; // .bin, .pnpm, .cache, .modules.yaml, …
      if (entry.startsWith('@')) {
        const scopeDir = path.join(nodeModules, entry);
        stamps.push([scopeDir, statStamp(scopeDir)]);
        for (const scoped of listDir(scopeDir)) {
          if (!scoped.startsWith('.')) consider(nodeModules, `${entry}/${scoped}`);
        }
      } else {
        consider(nodeModules, entry);
      }
    }
  }
  return { packages, stamps };
}

function listDir(dir: string): string[] {
  try {
    // Sorted so that results (and error messages) do not depend on the file system.
    return readdirSync(dir).sort();
  } catch {
    return []; // not a directory, or unreadable: nothing visible there
  }
}

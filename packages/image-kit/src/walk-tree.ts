import { lstatSync, readdirSync, type Stats } from 'node:fs';
import { join } from 'node:path';

export interface TreeEntry {
  /** Path relative to the walk's root, `/`-separated, no leading slash. */
  path: string;
  name: string;
  stat: Stats;
}

/**
 * Every entry below `root`, depth first, parents before children, names
 * sorted by their bytes: what is built from it does not depend on the order
 * the host's file system lists directories in. Directories in `prune`
 * (relative paths) are listed but not entered.
 */
export function* walkTree(root: string, prune: ReadonlySet<string> = new Set(), dir = ''): Generator<TreeEntry> {
  for (const name of readdirSync(join(root, dir)).sort(byBytes)) {
    const path = dir === '' ? name : `${dir}/${name}`;
    const stat = lstatSync(join(root, path));
    yield { path, name, stat };
    if (stat.isDirectory() && !prune.has(path)) yield* walkTree(root, prune, path);
  }
}

export function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

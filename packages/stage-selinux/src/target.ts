import { posix } from 'node:path';
import type { StageArguments } from '@osbuild-ts/plugin-kit';

/**
 * The root (the tree, or a mount's directory) and the path inside it of a
 * `target` location, as upstream's parse_location_into_parts splits it:
 * `tree:///p` or `mount://name/p`; a plain path means the tree.
 */
export function splitTarget(args: StageArguments<unknown>, location: string): { root: string; path: string } {
  const url = location.includes('://') ? location : `tree://${location}`;
  const match = /^([a-z]+):\/\/([^/]*)(.*)$/.exec(url);
  if (!match) throw new Error(`target ${JSON.stringify(location)}: not a location (tree:///path or mount://name/path)`);
  const [, scheme, name, path] = match as unknown as [string, string, string, string];
  if (!path.startsWith('/')) throw new Error(`target ${JSON.stringify(location)}: the path must start with "/"`);
  if (path.split('/').includes('..')) throw new Error(`target ${JSON.stringify(location)}: path leaves its root`);
  if (scheme === 'tree') return { root: args.tree, path };
  if (scheme === 'mount') {
    const mount = args.mounts[name];
    if (!mount) throw new Error(`target ${JSON.stringify(location)}: no mount named "${name}" (mounts: ${Object.keys(args.mounts).join(', ') || 'none'})`);
    return { root: mount.path, path };
  }
  throw new Error(`target ${JSON.stringify(location)}: unsupported scheme "${scheme}" (tree or mount)`);
}

/** Python's os.path.normpath for absolute POSIX paths: no `.`, no `//`, no trailing `/`. */
export function normpath(path: string): string {
  const normal = posix.normalize(path);
  return normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal;
}

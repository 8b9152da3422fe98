import { posix } from 'node:path';
import type { StageArguments } from './arguments.js';

/**
 * Turns an osbuild location (`tree:///p`, `mount://name/p`, `input://name/p`,
 * or a plain path meaning the tree) into a path in the sandbox. Refuses
 * locations that climb out of their root with `..`.
 */
export function resolveLocation(args: StageArguments<unknown>, location: string): string {
  const match = /^(tree|mount|input):\/\/([^/]*)(\/.*)?$/.exec(location);
  let root: string;
  let rest: string;
  if (!match) {
    root = args.tree;
    rest = location;
  } else {
    const [, scheme, name, path] = match as unknown as [string, string, string, string | undefined];
    rest = path ?? '/';
    if (scheme === 'tree') {
      if (name !== '') throw new Error(`${location}: tree:// takes no name (write tree:///path)`);
      root = args.tree;
    } else if (scheme === 'mount') {
      const mount = args.mounts[name];
      if (!mount) throw new Error(`${location}: no mount named "${name}" (mounts: ${Object.keys(args.mounts).join(', ') || 'none'})`);
      root = mount.path;
    } else {
      const input = args.inputs[name];
      if (!input) throw new Error(`${location}: no input named "${name}" (inputs: ${Object.keys(args.inputs).join(', ') || 'none'})`);
      root = input.path;
    }
  }
  const normal = posix.normalize('/' + rest);
  if (normal.split('/').includes('..')) throw new Error(`${location}: path leaves its root`);
  return posix.join(root, normal);
}

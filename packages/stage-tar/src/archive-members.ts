import { readdirSync } from 'node:fs';
import type { TarOptions } from './tar-options.js';

/**
 * The names tar is given after `-C <tree>`. `paths` go verbatim, in order.
 * Otherwise `root-node: include` archives `.` (members `./etc`, and `./`
 * itself), and `omit` the tree's top-level entries (members `etc`, no root).
 */
export function archiveMembers(options: TarOptions, tree: string): string[] {
  const paths = options.paths ?? [];
  if (paths.length > 0) return [...paths];
  if ((options['root-node'] ?? 'include') === 'include') return ['.'];
  // Sorted so the archive does not depend on directory order; `--` keeps a
  // name starting with `-` from being read as an option.
  const entries = readdirSync(tree).sort();
  if (entries.length === 0) throw new Error(`root-node "omit": the input tree is empty, and tar will not write an empty archive`);
  return ['--', ...entries];
}

import { posix } from 'node:path';

/**
 * Where the archive goes: `filename` inside the stage's tree, leading `/`
 * ignored as upstream does. A name that would land outside the tree is
 * refused; upstream would write there.
 */
export function archivePath(tree: string, filename: string): string {
  const relative = posix.normalize(filename.replace(/^\/+/, ''));
  if (relative === '.' || relative.endsWith('/')) throw new Error(`filename "${filename}" names a directory, not a file`);
  if (relative === '..' || relative.startsWith('../')) throw new Error(`filename "${filename}" leaves the tree`);
  return posix.join(tree, relative);
}

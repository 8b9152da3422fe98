import { existsSync, statSync } from 'node:fs';
import { posix } from 'node:path';

/**
 * Where the file goes: `filename` inside the tree, a leading `/` ignored as
 * upstream does. A name that would leave the tree or names the tree itself
 * is refused, and so is one whose directory is missing, which truncate
 * would only report as "No such file or directory".
 */
export function imagePath(tree: string, filename: string): string {
  const relative = posix.normalize(filename.replace(/^\/+/, ''));
  if (relative === '.' || relative.endsWith('/')) throw new Error(`filename "${filename}" names a directory, not a file`);
  if (relative === '..' || relative.startsWith('../')) throw new Error(`filename "${filename}" leaves the tree`);
  const path = posix.join(tree, relative);
  const directory = posix.dirname(path);
  if (!existsSync(directory) || !statSync(directory).isDirectory()) {
    throw new Error(`filename "${filename}": the tree has no directory /${posix.dirname(relative)} to put it in`);
  }
  return path;
}

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export const entry = join(import.meta.dirname, '..', 'dist', 'main.js');

/** The packages dpkg inside the tree lists as installed. */
export function installedInTree(tree: string): string[] {
  return execFileSync('chroot', [tree, 'dpkg-query', '--show', '--showformat=${db:Status-Abbrev} ${Package}\\n'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.startsWith('ii '))
    .map((line) => line.slice(4).trim())
    .sort();
}

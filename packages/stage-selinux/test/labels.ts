import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The security.selinux label of a path (the symlink itself, not its target), or "-" without one: read with getfattr. */
export function labelOf(path: string): string {
  const result = spawnSync('getfattr', ['-h', '--only-values', '-n', 'security.selinux', '--', path], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.replace(/\0$/, '') : '-';
}

/** "path<TAB>label" for every path of a tree, sorted by path, the root as "/". */
export function labelsOf(tree: string): string[] {
  const paths: string[] = [''];
  // Not readdirSync's recursive mode: it follows symlinks to directories.
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(tree, dir), { withFileTypes: true })) {
      paths.push(`${dir}/${entry.name}`);
      if (entry.isDirectory()) walk(`${dir}/${entry.name}`);
    }
  };
  walk('');
  paths.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return paths.map((p) => `${p || '/'}\t${labelOf(join(tree, p))}`);
}

/** A labels file written as labelsOf's lines; `#` lines are comments. */
export function readLabels(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter((line) => line !== '' && !line.startsWith('#'));
}

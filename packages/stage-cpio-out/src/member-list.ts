import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { byBytes } from './by-bytes.js';

/**
 * The names cpio archives, in upstream's order (each directory's
 * non-directory entries, then the directory itself, then its
 * subdirectories the same way) but sorted by name at every level, so the
 * archive does not depend on the order the file system lists entries in.
 * The root (`.`) is listed unless `includeRoot` is false. Symlinks to
 * directories are archived as the links they are (upstream's os.walk
 * drops them).
 */
export function memberList(tree: string, includeRoot: boolean): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    const dir = rel === '.' ? tree : join(tree, rel);
    const names = readdirSync(dir).sort(byBytes);
    const subdirs: string[] = [];
    for (const name of names) {
      const path = rel === '.' ? name : `${rel}/${name}`;
      if (lstatSync(join(tree, path)).isDirectory()) subdirs.push(path);
      else out.push(path);
    }
    if (rel !== '.' || includeRoot) out.push(rel);
    for (const sub of subdirs) walk(sub);
  };
  walk('.');
  return out;
}

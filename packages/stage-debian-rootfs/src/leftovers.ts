import { existsSync, lstatSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

function sameRegularFile(a: string, b: string): boolean {
  try {
    return lstatSync(a).isFile() && lstatSync(b).isFile() && readFileSync(a).equals(readFileSync(b));
  } catch {
    return false;
  }
}

/**
 * Removes what only the build needed: the sources entry of the local
 * repository (its path means nothing in the image), and the build host's
 * resolv.conf and hostname, which mmdebstrap copies in for debootstrap
 * compatibility (packages never ship them with the same content).
 */
export function removeBuildLeftovers(tree: string, sourcesLine: string): void {
  const sources = join(tree, 'etc/apt/sources.list');
  if (existsSync(sources) && readFileSync(sources, 'utf8').trim() === sourcesLine) rmSync(sources);
  for (const file of ['etc/resolv.conf', 'etc/hostname']) {
    if (sameRegularFile(join('/', file), join(tree, file))) rmSync(join(tree, file));
  }
}

import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the tree keeps grub's files: `/boot/grub2` (Fedora, and upstream's
 * only choice) or `/boot/grub` (Debian). The one holding the platform's
 * modules wins, then the one holding a grub.cfg; without either, upstream's
 * `/boot/grub2`.
 */
export function grubDirInTree(tree: string, platform: string): { dir: string; hasModules: boolean } {
  const candidates = ['/boot/grub2', '/boot/grub'];
  for (const dir of candidates) {
    if (existsSync(join(tree, dir, platform, 'normal.mod'))) return { dir, hasModules: true };
  }
  for (const dir of candidates) {
    if (existsSync(join(tree, dir, 'grub.cfg'))) return { dir, hasModules: false };
  }
  return { dir: '/boot/grub2', hasModules: false };
}

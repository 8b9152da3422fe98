import { existsSync, lstatSync, statSync } from 'node:fs';
import { basename, posix } from 'node:path';
import { clampTime, hostFileToFatEntry, treeToFatEntries, type FatEntry, type FatListing } from '@osbuild-ts/image-kit';

export interface CopyItem {
  /** The item's `from` location (for messages and the trailing-slash rule). */
  from: string;
  /** `from` resolved to a host path. */
  source: string;
  /** The item's `to`, an absolute path on the FAT file system. */
  to: string;
}

/**
 * The FAT entries one item makes, with `cp -a`'s rules (as org.osbuild.copy
 * has them): `from` ending in `/` copies a directory's contents into `to`,
 * made if missing; otherwise the file or directory itself goes to `to`,
 * or into it when `to` ends in `/` or is a directory already. The parent
 * of what is made must exist, as for cp.
 */
export function copyEntries(item: CopyItem, existing: FatListing, epoch: number | null): FatEntry[] {
  if (!existsSync(item.source) && !isLink(item.source)) throw new Error(`${item.from}: no such file or directory (${item.source})`);
  const to = normalFatPath(item.to);
  const isDirOnFat = (path: string) => path === '' || existing.get(path.toUpperCase())?.dir === true;

  if (item.from.endsWith('/')) {
    if (!statSync(item.source).isDirectory()) throw new Error(`${item.from}: ends in / but is not a directory`);
    const made = to === '' || isDirOnFat(to) ? [] : [{ path: to, kind: 'dir' as const, mtime: clampTime(statSync(item.source).mtimeMs / 1000, epoch) }];
    return [...made, ...treeToFatEntries(item.source, { into: to, epoch, display: item.from })];
  }
  const target = item.to.endsWith('/') || isDirOnFat(to) ? joinFat(to, basename(item.source)) : to;
  const top = hostFileToFatEntry(item.source, target, epoch, item.from);
  if (top.kind === 'file') return [top];
  return [top, ...treeToFatEntries(item.source, { into: target, epoch, display: item.from })];
}

/** `/EFI//BOOT/` → `EFI/BOOT`; a `..` stops at the root, as in a location. */
export function normalFatPath(path: string): string {
  return posix.normalize(`/${path}`).replace(/^\/+|\/+$/g, '');
}

function joinFat(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

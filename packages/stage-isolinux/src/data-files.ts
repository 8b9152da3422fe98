import { existsSync, lstatSync, readlinkSync } from 'node:fs';
import { posix } from 'node:path';

/**
 * Where a data tree keeps each ISOLINUX file: Fedora's syslinux package
 * puts them all in /usr/share/syslinux (upstream's only layout); Debian's
 * isolinux and syslinux-common split them into /usr/lib/ISOLINUX and
 * /usr/lib/syslinux/modules/bios.
 */
export const ISOLINUX_FILES: readonly { name: string; candidates: readonly string[] }[] = [
  { name: 'isolinux.bin', candidates: ['usr/share/syslinux/isolinux.bin', 'usr/lib/ISOLINUX/isolinux.bin'] },
  ...['ldlinux.c32', 'libcom32.c32', 'libutil.c32', 'vesamenu.c32'].map((name) => ({
    name,
    candidates: [`usr/share/syslinux/${name}`, `usr/lib/syslinux/modules/bios/${name}`],
  })),
];

export const SPLASH = 'usr/share/anaconda/boot/syslinux-splash.png';

/** The first candidate the data tree has, or null. */
export function findDataFile(data: string, candidates: readonly string[]): string | null {
  for (const candidate of candidates) {
    const path = posix.join(data, candidate);
    if (existsSync(path)) return path;
  }
  return null;
}

/**
 * A path inside `root` with its symlinks followed as if `root` were `/`
 * (absolute targets stay in the tree): what `os.link` reaches in upstream's
 * stage, where the tree's `vmlinuz` is often a link to a versioned kernel.
 */
export function resolveInTree(root: string, path: string): string {
  let parts = posix.normalize('/' + path).split('/').filter(Boolean);
  let resolved: string[] = [];
  for (let hops = 0; parts.length > 0; ) {
    const part = parts.shift() as string;
    if (part === '..') {
      resolved.pop();
      continue;
    }
    const here = posix.join(root, ...resolved, part);
    let st;
    try {
      st = lstatSync(here);
    } catch {
      throw new Error(`${posix.join('/', ...resolved, part)} is not in the tree`);
    }
    if (st.isSymbolicLink()) {
      if (++hops > 40) throw new Error(`${path}: too many levels of symbolic links in the tree`);
      const target = readlinkSync(here);
      if (target.startsWith('/')) resolved = [];
      parts = [...target.split('/').filter((p) => p !== '' && p !== '.'), ...parts];
      continue;
    }
    resolved.push(part);
  }
  return posix.join(root, ...resolved);
}

import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface Kernel {
  version: string;
  /** File names in /boot. */
  image: string;
  initrd: string | null;
}

// The initrd names update-grub's 10_linux looks for, in its order.
const INITRD_NAMES = (v: string) => [`initrd.img-${v}`, `initrd-${v}.img`, `initrd-${v}.gz`, `initrd-${v}`, `initramfs-${v}.img`];

/**
 * The kernels in the tree's /boot (`vmlinuz-V`, regular files), newest
 * first by version order, each with its initrd if there is one.
 */
export function findKernels(tree: string): Kernel[] {
  const boot = join(tree, 'boot');
  let names: string[];
  try {
    names = readdirSync(boot);
  } catch {
    return [];
  }
  const present = new Set(names.filter((name) => isFile(join(boot, name))));
  const kernels: Kernel[] = [];
  for (const name of present) {
    if (!name.startsWith('vmlinuz-')) continue;
    const version = name.slice('vmlinuz-'.length);
    // update-grub skips packaging leftovers.
    if (version === '' || /\.(dpkg-[a-z]+|rpm[a-z]+|old|bak)$/.test(version)) continue;
    kernels.push({ version, image: name, initrd: INITRD_NAMES(version).find((candidate) => present.has(candidate)) ?? null });
  }
  return kernels.sort((a, b) => compareVersions(b.version, a.version));
}

function isFile(path: string): boolean {
  try {
    return lstatSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Version order as `sort -V` sees it: digit runs compare as numbers, other
 * runs as text, `~` before everything (Debian's pre-release marker).
 */
export function compareVersions(a: string, b: string): number {
  const split = (v: string) => v.match(/\d+|~|[^\d~]+/g) ?? [];
  const pa = split(a);
  const pb = split(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === y) continue;
    if (x === undefined) return y === '~' ? 1 : -1;
    if (y === undefined) return x === '~' ? -1 : 1;
    if (x === '~') return -1;
    if (y === '~') return 1;
    const nx = /^\d/.test(x);
    const ny = /^\d/.test(y);
    if (nx && ny) {
      const diff = BigInt(x) - BigInt(y);
      if (diff !== 0n) return diff < 0n ? -1 : 1;
      continue;
    }
    if (nx !== ny) return nx ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return 0;
}

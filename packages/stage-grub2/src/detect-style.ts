import { lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join, posix } from 'node:path';

export type ConfigStyle = 'bls' | 'debian';

export interface StyleVerdict {
  style: ConfigStyle;
  /** Why, in a few words, for the stage's output. */
  reason: string;
}

/**
 * Which kind of grub configuration the tree's distribution uses.
 *
 * - Boot Loader Specification entries in /boot/loader/entries: BLS (Fedora,
 *   RHEL, CentOS write them when the kernel is installed).
 * - Otherwise a Debian family tree (os-release ID or ID_LIKE debian/ubuntu,
 *   or kernels named the Debian way, /boot/vmlinuz-V with
 *   /boot/initrd.img-V): a complete grub.cfg with one entry per kernel,
 *   which is what update-grub writes there. Debian ships systemd's
 *   /usr/lib/kernel/install.d BLS plugins too, but its kernel packages never
 *   run them, so their presence decides nothing.
 * - Anything else: BLS, upstream's only behaviour.
 */
export function detectStyle(tree: string): StyleVerdict {
  if (hasBlsEntries(tree)) return { style: 'bls', reason: 'the tree has entries in /boot/loader/entries' };
  const osRelease = readOsRelease(tree);
  const family = [osRelease['ID'] ?? '', ...(osRelease['ID_LIKE'] ?? '').split(/\s+/)];
  if (family.some((id) => id === 'debian' || id === 'ubuntu')) {
    return { style: 'debian', reason: `os-release ID ${osRelease['ID'] ?? '?'}, no BLS entries` };
  }
  if (hasDebianKernels(tree)) return { style: 'debian', reason: 'the tree has Debian-style kernels (/boot/vmlinuz-V with /boot/initrd.img-V)' };
  return { style: 'bls', reason: 'no Debian markers: Boot Loader Specification, as upstream' };
}

function hasBlsEntries(tree: string): boolean {
  const dir = join(tree, 'boot/loader/entries');
  try {
    return readdirSync(dir).some((name) => name.endsWith('.conf'));
  } catch {
    return false;
  }
}

function hasDebianKernels(tree: string): boolean {
  let names: string[];
  try {
    names = readdirSync(join(tree, 'boot'));
  } catch {
    return false;
  }
  return names.some((name) => name.startsWith('vmlinuz-') && names.includes(`initrd.img-${name.slice('vmlinuz-'.length)}`));
}

/** The tree's os-release (/etc first, then /usr/lib), as key → unquoted value. */
export function readOsRelease(tree: string): Record<string, string> {
  for (const path of ['etc/os-release', 'usr/lib/os-release']) {
    const text = readTreeFile(tree, path);
    if (text !== null) return parseOsRelease(text);
  }
  return {};
}

/**
 * A file of the tree, following symlinks the way they resolve when the tree
 * is the root (/etc/os-release is a link into /usr/lib), never out to the
 * host. Null when it is missing or not a regular file.
 */
export function readTreeFile(tree: string, path: string): string | null {
  let inner = posix.normalize('/' + path);
  for (let hops = 0; hops < 16; hops++) {
    const host = join(tree, inner);
    let info;
    try {
      info = lstatSync(host);
    } catch {
      return null;
    }
    if (info.isSymbolicLink()) {
      const target = readlinkSync(host);
      inner = posix.normalize(target.startsWith('/') ? target : posix.join(posix.dirname(inner), target));
      continue;
    }
    return info.isFile() ? readFileSync(host, 'utf8') : null;
  }
  return null;
}

export function parseOsRelease(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!match) continue;
    let value = match[2] as string;
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\(["\\$`])/g, '$1');
    }
    fields[match[1] as string] = value;
  }
  return fields;
}

import { findCommand } from './find-command.js';

/** The two names grub-mkimage has: Fedora's and Debian's. */
export const GRUB_MKIMAGE_NAMES: readonly string[] = ['grub2-mkimage', 'grub-mkimage'];
const PACKAGES = 'grub2-tools-minimal on Fedora, grub-common on Debian';

/**
 * The build root's grub-mkimage. A `binary` the options name is used when
 * present; when it is one of the two usual names and missing, the other
 * one stands in, with a note (upstream's default, grub2-mkimage, is called
 * grub-mkimage on Debian). Any other missing binary is an error.
 */
export function findGrubMkimage(binary?: string): { path: string; note?: string } {
  if (binary === undefined) {
    const found = findCommand(...GRUB_MKIMAGE_NAMES);
    if (!found) throw new Error(`neither grub2-mkimage nor grub-mkimage is in the build root (${PACKAGES})`);
    return { path: found };
  }
  const found = findCommand(binary);
  if (found) return { path: found };
  const other = GRUB_MKIMAGE_NAMES.includes(binary) ? GRUB_MKIMAGE_NAMES.find((name) => name !== binary) : undefined;
  const fallback = other ? findCommand(other) : null;
  if (other && fallback) return { path: fallback, note: `${binary} is not in the build root; using ${other}` };
  throw new Error(`${binary} is not in the build root (${PACKAGES})`);
}

import { readFileSync } from 'node:fs';

let cached: boolean | undefined;

/**
 * Whether this process runs in a user namespace (rootless builds: `osbuild`
 * re-executes itself as root of one). Overlays there keep their metadata in
 * `user.overlay.*` xattrs (`userxattr`): `trusted.*` belongs to the real
 * root. That mode refuses redirect_dir, so renaming a directory that comes
 * from a lower layer gives EXDEV (mv copies instead; see README).
 */
export function inUserNamespace(): boolean {
  if (cached === undefined) {
    try {
      cached = readFileSync('/proc/self/uid_map', 'utf8').trim().split(/\s+/).join(' ') !== '0 0 4294967295';
    } catch {
      cached = false;
    }
  }
  return cached;
}

/** Overlay options for the layer features (see overlay.ts) this process can have. */
export function overlayFeatures(root: string, rootless: string, userns = inUserNamespace()): string {
  return userns ? rootless : root;
}

import { chmodSync, existsSync, lstatSync, mkdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runTool } from '@osbuild-ts/plugin-kit';

const API_FILESYSTEMS = ['/dev', '/sys', '/proc'];
const FAKE_MACHINE_ID = 'ffffffffffffffffffffffffffffffff\n';

/**
 * Runs `body` with /dev, /sys and /proc bound into the tree (rpm's
 * scriptlets run chrooted there and expect them), as osbuild does around its
 * install; the directories stay in the tree as osbuild leaves them. The
 * mounts are undone afterwards, even when `body` throws: in the sandbox its
 * mount namespace would drop them anyway, but a local run shares the host's.
 */
export function withApiFilesystems<T>(tree: string, body: () => T): T {
  const mounted: string[] = [];
  let fdLink: string | undefined;
  try {
    for (const source of API_FILESYSTEMS) {
      const target = join(tree, source);
      mkdirSync(target, { recursive: true });
      // One mount(8) does both, as osbuild's: process starts are this stage's fixed cost.
      runTool('mount', ['--rbind', '--make-rprivate', source, target]);
      mounted.push(target);
    }
    const fd = join(tree, 'dev/fd');
    if (!exists(fd)) {
      symlinkSync('/proc/self/fd', fd);
      fdLink = fd;
    }
    return body();
  } finally {
    if (fdLink) rmSync(fdLink, { force: true });
    if (mounted.length > 0) runTool('umount', ['--recursive', '--lazy', ...mounted.reverse()]);
  }
}

/**
 * osbuild's `create_machine_id_if_needed(keep_empty=True)`: scriptlets see a
 * fixed machine id when the tree has none, and afterwards /etc/machine-id is
 * an empty, read-only file (systemd fills it on first boot).
 */
export function withMachineId<T>(tree: string, body: () => T): T {
  const path = join(tree, 'etc/machine-id');
  try {
    if (!exists(path)) {
      mkdirSync(join(tree, 'etc'), { recursive: true, mode: 0o755 });
      writeFileSync(path, FAKE_MACHINE_ID);
      chmodSync(path, 0o444);
    }
    return body();
  } finally {
    rmSync(path, { force: true });
    writeFileSync(path, '');
    chmodSync(path, 0o444);
  }
}

/** `ostree_booted`: the /run/ostree-booted marker some packages' scriptlets look for, present only during the install. */
export function withOstreeBooted<T>(tree: string, enabled: boolean, body: () => T): T {
  if (!enabled) return body();
  const marker = join(tree, 'run/ostree-booted');
  mkdirSync(join(tree, 'run'), { recursive: true });
  writeFileSync(marker, '');
  try {
    return body();
  } finally {
    rmSync(marker, { force: true });
  }
}

/**
 * `disable_dracut`: kernel-install's dracut plugins masked (linked to
 * /dev/null) during the install. The masks are removed afterwards; the
 * etc/kernel/install.d directories stay, as osbuild leaves them.
 */
export function withDracutDisabled<T>(tree: string, enabled: boolean, body: () => T): T {
  if (!enabled) return body();
  const dir = join(tree, 'etc/kernel/install.d');
  mkdirSync(dir, { recursive: true });
  const masks = ['50-dracut.install', '51-dracut-rescue.install'].map((name) => join(dir, name));
  for (const mask of masks) symlinkSync('/dev/null', mask);
  try {
    return body();
  } finally {
    for (const mask of masks) if (exists(mask)) unlinkSync(mask);
  }
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return existsSync(path);
  }
}

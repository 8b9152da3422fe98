import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  lchownSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  symlinkSync,
} from 'node:fs';
import { dirname, join } from 'node:path';

const UMASK = 0o022;

/**
 * Gives an existing user whose home directory is missing one, as upstream
 * does by running `mkhomedir_helper` in the tree, but with plain file
 * operations (no chroot, nothing from the tree is run). Its defaults:
 * missing parents 0755 owned by root; the home `0777 & ~umask` (0755) owned
 * by the user, filled from the tree's /etc/skel; copied directories 0755,
 * files `(mode | 0222) & ~umask`, symlinks as they are, all owned by the
 * user; other kinds of file skipped.
 */
export function ensureHomeDir(tree: string, user: { name: string; home: string; uid: number; gid: number }): void {
  if (!user.home) return;
  const home = join(tree, user.home);
  if (existsSync(home)) return;
  if (!user.home.startsWith('/')) throw new Error(`user ${user.name}: home directory "${user.home}" is relative`);
  mkdirSync(dirname(home), { recursive: true, mode: 0o755 });
  const skel = join(tree, 'etc/skel');
  copyDirectory(existsSync(skel) ? skel : null, home, 0o777 & ~UMASK, user);
}

function copyDirectory(source: string | null, target: string, mode: number, owner: { uid: number; gid: number }): void {
  mkdirSync(target, { mode: 0o700 });
  if (source !== null) {
    for (const name of readdirSync(source)) {
      const from = join(source, name);
      const to = join(target, name);
      const st = lstatSync(from);
      if (st.isDirectory()) {
        copyDirectory(from, to, mode & ~UMASK, owner);
      } else if (st.isSymbolicLink()) {
        symlinkSync(readlinkSync(from), to);
        lchownSync(to, owner.uid, owner.gid);
      } else if (st.isFile()) {
        copyFileSync(from, to);
        chmodSync(to, (st.mode | 0o222) & 0o7777 & ~UMASK);
        chownSync(to, owner.uid, owner.gid);
      }
    }
  }
  chmodSync(target, mode);
  chownSync(target, owner.uid, owner.gid);
}

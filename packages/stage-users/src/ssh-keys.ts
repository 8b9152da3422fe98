import { appendFileSync, chmodSync, chownSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Appends keys, one a line, to the user's `~/.ssh/authorized_keys` in the
 * tree; `.ssh` is made (0700) if missing, and the file ends up 0600, both
 * owned by the user.
 */
export function addSshKeys(tree: string, user: { name: string; home: string; uid: number; gid: number }, keys: readonly string[]): void {
  const home = join(tree, user.home);
  if (!user.home || !existsSync(home)) {
    throw new Error(`user ${user.name}: cannot add SSH keys, home directory "${user.home}" does not exist in the tree`);
  }
  const sshDir = join(home, '.ssh');
  if (!existsSync(sshDir)) {
    mkdirSync(sshDir, { mode: 0o700 });
    chownSync(sshDir, user.uid, user.gid);
  }
  const file = join(sshDir, 'authorized_keys');
  appendFileSync(file, `${keys.join('\n')}\n`);
  chownSync(file, user.uid, user.gid);
  chmodSync(file, 0o600);
}

import type { UserOptions } from './users-options.js';

/**
 * `useradd --root TREE … NAME` for a new user, options in upstream's order.
 * A given uid may be shared (`-o`); a home is created (`--create-home`),
 * and an empty `home` means none (`--no-create-home`).
 */
export function useraddArguments(tree: string, name: string, user: UserOptions): string[] {
  const args: string[] = [];
  if (user.uid !== undefined) args.push('--uid', String(user.uid), '-o');
  if (user.gid !== undefined) args.push('--gid', String(user.gid));
  if (user.groups && user.groups.length > 0) args.push('--groups', user.groups.join(','));
  if (user.description !== undefined) args.push('--comment', user.description);
  if (user.home) args.push('--home-dir', user.home, '--create-home');
  else if (user.home === '') args.push('--no-create-home');
  if (user.shell) args.push('--shell', user.shell);
  if (user.password !== undefined) args.push('--password', user.password);
  if (user.expiredate !== undefined) args.push('--expiredate', String(user.expiredate));
  return ['--root', tree, ...args, name];
}

/**
 * `usermod --root TREE … NAME` for an existing user, or null when nothing
 * is to change. The uid is never changed; `--home` changes only the
 * passwd entry (no `--move-home`).
 */
export function usermodArguments(tree: string, name: string, user: UserOptions): string[] | null {
  const args: string[] = [];
  if (user.gid !== undefined) args.push('--gid', String(user.gid));
  if (user.groups && user.groups.length > 0) args.push('--groups', user.groups.join(','));
  if (user.description !== undefined) args.push('--comment', user.description);
  if (user.home) args.push('--home', user.home);
  if (user.shell) args.push('--shell', user.shell);
  if (user.password !== undefined) args.push('--password', user.password);
  if (user.expiredate !== undefined) args.push('--expiredate', String(user.expiredate));
  return args.length > 0 ? ['--root', tree, ...args, name] : null;
}

/** The user's SSH keys: `keys`, then the single `key`, as upstream appends it. */
export function sshKeys(user: UserOptions): string[] {
  return [...(user.keys ?? []), ...(user.key ? [user.key] : [])];
}

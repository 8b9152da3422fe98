// An unprivileged user for the rootless tests: made by root with a free
// range of subordinate ids, a project directory it owns, and a way to run
// commands as it. Removed again (user, ranges, directory) by `remove`.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Run } from './run.js';
import { REPO } from './run.js';

export interface RootlessUser {
  name: string;
  uid: number;
  gid: number;
  /** Owned by the user (also its HOME). */
  project: string;
  /** The repository root as the user reaches it (userOsbuild); commands run there. */
  checkout: string;
  /** Runs a command as the user, from `checkout`, with a clean environment. */
  run: (command: string, args: readonly string[], env?: Record<string, string>) => Promise<Run>;
  /** Gives the user everything below `dir` (root made it). */
  own: (dir: string) => void;
  remove: () => void;
}

/**
 * The repository's osbuild as the user can run it. A checkout under a
 * private directory (CI may clone into /root, mode 700) is out of the user's
 * reach: then the checkout is bind-mounted read-only under /var/tmp, where
 * the user can read it as the other users of a machine would read an
 * installed copy; `release` unmounts it.
 */
export async function userOsbuild(user: RootlessUser): Promise<{ path: string; release: () => void }> {
  const direct = join(REPO, 'node_modules', '.bin', 'osbuild');
  if ((await user.run('/bin/test', ['-r', direct, '-a', '-x', direct])).status === 0) return { path: direct, release: () => undefined };
  const view = mkdtempSync('/var/tmp/osbuild-ts-checkout-');
  chmodSync(view, 0o755);
  execFileSync('mount', ['--bind', '--make-private', REPO, view]);
  execFileSync('mount', ['-o', 'remount,bind,ro', view]);
  const release = () => {
    user.checkout = REPO;
    execFileSync('umount', [view]);
    rmdirSync(view);
  };
  user.checkout = view;
  const path = join(view, 'node_modules', '.bin', 'osbuild');
  const reach = await user.run('/bin/test', ['-r', path, '-a', '-x', path]);
  if (reach.status !== 0) {
    release();
    throw new Error(`the unprivileged user ${user.name} cannot read and run ${direct}, not even through a bind mount at ${view}: are the checkout's files readable by others?`);
  }
  return { path, release };
}

/** Why rootless builds cannot be tried here (besides root), or null. */
export function rootlessUnavailable(): string | null {
  if (!existsSync('/usr/bin/newuidmap') || !existsSync('/usr/bin/newgidmap')) return 'needs newuidmap/newgidmap (apt package uidmap)';
  if (Number(readFileSync('/proc/sys/user/max_user_namespaces', 'utf8')) === 0) return 'user namespaces are disabled (user.max_user_namespaces = 0)';
  return null;
}

/** The first start above every range /etc/subuid and /etc/subgid hand out. */
function freeRange(): number {
  let end = 300_000;
  for (const file of ['/etc/subuid', '/etc/subgid']) {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    for (const line of text.split('\n')) {
      const [, start, count] = line.split(':');
      if (start !== undefined && count !== undefined) end = Math.max(end, Number(start) + Number(count));
    }
  }
  return Math.ceil(end / 65536) * 65536;
}

export function createRootlessUser(): RootlessUser {
  const name = `osbts${process.pid}`;
  // Images are large (if sparse): on disk, not a tmpfs /tmp.
  const project = mkdtempSync('/var/tmp/osbuild-ts-rootless-');
  execFileSync('useradd', ['--no-create-home', '--home-dir', project, '--shell', '/bin/sh', '--user-group', name]);
  const start = freeRange();
  const range = `${start}-${start + 65535}`;
  execFileSync('usermod', ['--del-subuids', '1-4294967294', '--del-subgids', '1-4294967294', name]);
  execFileSync('usermod', ['--add-subuids', range, '--add-subgids', range, name]);
  const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }));
  const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }));
  chownSync(project, uid, gid);
  const run = (command: string, args: readonly string[], env: Record<string, string> = {}): Promise<Run> =>
    new Promise((resolve, reject) => {
      const environment = { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', HOME: project, USER: name, LOGNAME: name, ...env };
      const child = spawn('setpriv', [`--reuid=${uid}`, `--regid=${gid}`, '--init-groups', '--reset-env', '--', 'env', ...Object.entries(environment).map(([k, v]) => `${k}=${v}`), command, ...args], {
        // osbuild finds its plugins in node_modules from here upwards.
        cwd: user.checkout,
        env: {},
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, output }));
    });
  const remove = () => {
    // The user's subordinate ids own files in the project: root removes them all.
    rmSync(project, { recursive: true, force: true });
    execFileSync('userdel', [name], { stdio: 'ignore' });
  };
  const own = (dir: string) => void execFileSync('chown', ['-R', `${uid}:${gid}`, dir]);
  const user: RootlessUser = { name, uid, gid, project, checkout: REPO, run, own, remove };
  return user;
}

/** Paths under `dirs` owned by the host's root (uid or gid 0), at most `limit`. */
export function ownedByRoot(dirs: readonly string[], limit = 20): string[] {
  const out = execFileSync('find', [...dirs, '(', '-uid', '0', '-o', '-gid', '0', ')', '-print'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return out.split('\n').filter(Boolean).slice(0, limit);
}

/** Copies the files of `from` that `to` lacks (never links: a link would share the other owner's file); the copies belong to whoever copies. */
export function copyMissing(from: string, to: string): void {
  execFileSync('mkdir', ['-p', to]);
  if (existsSync(from)) execFileSync('sh', ['-c', 'cd "$1" && for f in sha256:*; do [ -e "$f" ] && [ ! -e "$2/$f" ] && cp --reflink=auto -- "$f" "$2/$f"; done; true', 'sh', from, to]);
}

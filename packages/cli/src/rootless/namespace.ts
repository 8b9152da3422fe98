/**
 * Rootless builds. Not run as root, `osbuild` re-executes itself once in a
 * new user and mount namespace made by util-linux `unshare`: the invoking
 * uid and gid become 0 there, and ids 1–65535 map onto the user's first
 * subordinate ranges (/etc/subuid, /etc/subgid, through the setuid
 * newuidmap/newgidmap of the `uidmap` package). Everything else — the
 * store's overlays, bwrap sandboxes, mmdebstrap — then runs as root of that
 * namespace: files a stage makes for root belong to the user on the host,
 * files for _apt to one of the user's subordinate ids.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OsbuildError } from '@osbuild-ts/core';
import { requireSubordinateIds } from './subids.js';

/** Set in the re-executed process: it must not re-execute again. */
export const NAMESPACE_ENV = 'OSBUILD_TS_USERNS';

/** Whether this process is the real root (uid 0 of the initial user namespace). */
export function isRealRoot(): boolean {
  if (process.geteuid?.() !== 0) return false;
  return !inUserNamespace();
}

/** A uid_map other than the identity over all ids: a user namespace made by someone. */
export function inUserNamespace(): boolean {
  try {
    return readFileSync('/proc/self/uid_map', 'utf8').trim().split(/\s+/).join(' ') !== '0 0 4294967295';
  } catch {
    return false;
  }
}

/** True when `osbuild` must move into its namespace before it builds (not root, not there yet). */
export function needsNamespace(): boolean {
  return typeof process.geteuid === 'function' && process.geteuid() !== 0;
}

/**
 * Runs this same command line again inside the namespace and returns its
 * exit status (128 + signal number when it was killed). Descriptors 0–2 (or
 * `stdin`'s text, for a manifest read from stdin) and
 * `inheritFds` (--monitor-fd) are passed on; SIGTERM and SIGHUP sent to this
 * process are passed on, SIGINT from a terminal reaches the child directly
 * (same process group) and is only ignored here.
 */
export async function reexecInNamespace(argv: readonly string[], inheritFds: readonly number[] = [], stdin?: string): Promise<number> {
  if (process.env[NAMESPACE_ENV] === '1') {
    throw new OsbuildError('E_HOST_UNSUPPORTED', `osbuild re-executed itself in a user namespace but still runs as uid ${process.geteuid?.()}, not 0`, {
      hint: 'the kernel may forbid unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1, user.max_user_namespaces > 0)',
    });
  }
  requireSubordinateIds();
  const script = process.argv[1];
  if (script === undefined) throw new OsbuildError('E_HOST_UNSUPPORTED', 'cannot find the osbuild script to re-execute in a user namespace');
  const unshare = ['--user', '--map-users=auto', '--map-groups=auto', '--map-root-user', '--mount', '--propagation', 'private'];
  const highest = Math.max(2, ...inheritFds);
  const stdio: (number | 'ignore' | 'pipe')[] = Array.from({ length: highest + 1 }, (_, fd) => (fd <= 2 || inheritFds.includes(fd) ? fd : 'ignore'));
  // A manifest this process read from stdin goes to the child the same way.
  if (stdin !== undefined) stdio[0] = 'pipe';
  // mount(8) records some mounts in /run/mount/utab, which belongs to the
  // real root: in the namespace it gets a file of its own (LIBMOUNT_UTAB).
  const private_ = mkdtempSync(join(tmpdir(), 'osbuild-ts-userns-'));
  const child = spawn('unshare', [...unshare, '--', process.execPath, ...process.execArgv, script, ...argv], {
    stdio,
    env: { ...process.env, [NAMESPACE_ENV]: '1', LIBMOUNT_UTAB: join(private_, 'utab') },
  });
  if (stdin !== undefined) child.stdin?.end(stdin);
  const forward = (signal: NodeJS.Signals) => () => void child.kill(signal);
  const handlers: [NodeJS.Signals, () => void][] = [
    ['SIGTERM', forward('SIGTERM')],
    ['SIGHUP', forward('SIGHUP')],
    ['SIGINT', () => {}],
  ];
  for (const [signal, handler] of handlers) process.on(signal, handler);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.on('error', (error) =>
        reject(
          new OsbuildError('E_HOST_UNSUPPORTED', `cannot start unshare to build in a user namespace: ${error.message}`, {
            hint: 'install util-linux (unshare) and uidmap (newuidmap, newgidmap)',
          }),
        ),
      );
      child.on('close', (code, signal) => resolve(code ?? 128 + (signal === null ? 0 : signalNumber(signal))));
    });
  } finally {
    for (const [signal, handler] of handlers) process.off(signal, handler);
    rmSync(private_, { recursive: true, force: true });
  }
}

function signalNumber(signal: NodeJS.Signals): number {
  return ({ SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 } as Record<string, number>)[signal] ?? 0;
}

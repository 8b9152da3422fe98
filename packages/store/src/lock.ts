/**
 * Cross-process locks: Linux open-file-description (OFD) `fcntl` locks, the
 * kind upstream osbuild uses, through fs-native-extensions' prebuilt N-API
 * addon (no compiler, no install script). The kernel drops an OFD lock when
 * its last fd closes, so a `kill -9`ed build never leaves a lock behind.
 *
 * OFD locks also conflict between two fds of one process, which is what lets
 * two store handles in one process (or the evictor and a reader) exclude each
 * other. Waiting is done by polling a non-blocking attempt: it can be
 * cancelled, costs no thread, and the extra latency (≤ 20 ms) is small next
 * to a stage's run time.
 */
import { closeSync, constants, fstatSync, openSync, statSync } from 'node:fs';
import { loadTryLock } from './lock-binding.js';
import { errnoOf } from './errors.js';

export type LockMode = 'shared' | 'exclusive';

export interface FileLock {
  readonly path: string;
  readonly mode: LockMode;
  /** Closes the fd, which drops the lock. Idempotent. */
  release(): void;
}

export interface TryLockOptions {
  /** Create the file if missing (default true); false: a missing file is `null`. */
  create?: boolean;
  /**
   * The lock file may be unlinked by its holder while others wait on it:
   * after acquiring, check that the path still names the locked inode, so two
   * processes never both "hold" a lock on different inodes of one name.
   */
  unlinkable?: boolean;
}

export interface LockOptions extends TryLockOptions {
  /** Give up (throwing the signal's reason) when aborted. */
  signal?: AbortSignal;
  /** Give up (returning null) after this long; default: wait forever. */
  timeoutMs?: number;
  /** Called once, when the first attempt finds the lock held: the caller can say what it waits for. */
  onWait?: () => void;
}

// libuv opens every fd O_CLOEXEC: mount, cp and stages never inherit (and so never keep) a lock.
const OPEN_FLAGS = constants.O_RDWR;

/** One non-blocking attempt; null when another fd holds a conflicting lock or (create: false) the file is missing. */
export function tryLockFile(path: string, mode: LockMode, options: TryLockOptions = {}): FileLock | null {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS | (options.create === false ? 0 : constants.O_CREAT), 0o644);
  } catch (error) {
    if (options.create === false && errnoOf(error) === 'ENOENT') return null;
    throw error;
  }
  let locked = false;
  try {
    locked = loadTryLock()(fd, mode === 'shared');
    if (locked && options.unlinkable === true && !sameInode(fd, path)) locked = false;
  } finally {
    if (!locked) closeSync(fd);
  }
  if (!locked) return null;
  let open = true;
  return {
    path,
    mode,
    release() {
      if (!open) return;
      open = false;
      closeSync(fd);
    },
  };
}

/** Waits (polling) until the lock is ours; null only on timeout or, with create: false, a missing file. */
export async function lockFile(path: string, mode: LockMode, options: LockOptions = {}): Promise<FileLock | null> {
  const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
  let delay = 2;
  let told = false;
  for (;;) {
    options.signal?.throwIfAborted();
    const lock = tryLockFile(path, mode, options);
    if (lock !== null) return lock;
    if (options.create === false && !exists(path)) return null;
    if (Date.now() >= deadline) return null;
    if (!told) {
      told = true;
      options.onWait?.();
    }
    await sleep(Math.min(delay, Math.max(1, deadline - Date.now())));
    delay = Math.min(delay * 2, 20);
  }
}

function sameInode(fd: number, path: string): boolean {
  try {
    const a = fstatSync(fd);
    const b = statSync(path);
    return a.ino === b.ino && a.dev === b.dev;
  } catch {
    return false;
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

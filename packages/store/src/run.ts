/**
 * A run is one open store handle. It owns:
 *  - a shared lock on cache.lock (whole-store maintenance takes it exclusive),
 *  - runs/<id>.lock, write-locked while it lives: how others tell that its
 *    staging dirs, scratch dirs and mounts are not debris,
 *  - runs/<id>/, a private tmpfs: every mount point and every overlay link
 *    dir of the run lives there, so nothing it mounts propagates anywhere.
 *    It is mounted on first use (privateDir): a run that mounts nothing (a
 *    warm export, whose view is mounted in a mount namespace of its own,
 *    tree.ts) forks no `mount` at open and no `umount` at close.
 * Names the run creates elsewhere start with its id (stage/<id>-<n>, tmp/<id>-<n>).
 */
import { appendFile, mkdir, readdir, readFile, rename, rm, rmdir, unlink } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { lockFile, tryLockFile, type FileLock } from './lock.js';
import { randomId } from './files.js';
import { mountsBelow, mountTmpfs, readMountInfo, unmount } from './mount.js';
import { storeError } from './errors.js';
import type { Layout } from './layout.js';

export interface Run {
  readonly id: string;
  /** The run's private tmpfs (mounted by the first privateDir()). */
  readonly dir: string;
  /** A fresh name `<id>-<n>` for staging and scratch entries. */
  nextName(): string;
  /** A fresh empty dir in the private tmpfs (mount point or link dir); mounts the tmpfs the first time. */
  privateDir(prefix: string): Promise<string>;
  /** Records a mount made outside the private tmpfs, before making it, for recovery. */
  journalMount(target: string): Promise<void>;
}

export interface RunHandle extends Run {
  end(): Promise<void>;
}

export const RUN_ID = /^[0-9a-f]{12}$/;

export async function startRun(layout: Layout): Promise<RunHandle> {
  const cacheLock = await lockFile(layout.cacheLock, 'shared');
  if (cacheLock === null) throw storeError('layout', `cannot lock ${layout.cacheLock}`);
  let runLock: FileLock | null = null;
  const id = randomId(6);
  const dir = join(layout.runs, id);
  const lockPath = join(layout.runs, `${id}.lock`);
  const journal = join(layout.runs, `${id}.mounts`);
  try {
    // Lock under a name recovery ignores, then rename: recovery never sees
    // runs/<id>.lock unlocked while this run lives.
    const fresh = join(layout.runs, `.${id}.new`);
    runLock = tryLockFile(fresh, 'exclusive');
    if (runLock === null) throw storeError('layout', `cannot lock ${fresh}`);
    await rename(fresh, lockPath);
    await mkdir(dir);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    await rm(lockPath, { force: true });
    runLock?.release();
    cacheLock.release();
    throw error;
  }
  let counter = 0;
  const nextName = () => `${id}-${++counter}`;
  // Once, shared by concurrent callers; a failed mount is retried by the next caller.
  let mounted: Promise<void> | undefined;
  const mountOnce = () =>
    (mounted ??= mountTmpfs(dir).catch(async (error: unknown) => {
      mounted = undefined;
      await unmount(dir, { lazy: true }).catch(() => undefined);
      throw error;
    }));
  return {
    id,
    dir,
    nextName,
    async privateDir(prefix) {
      await mountOnce();
      const path = join(dir, `${prefix}${++counter}`);
      await mkdir(path);
      return path;
    },
    async journalMount(target) {
      await appendFile(journal, `${JSON.stringify(target)}\n`);
    },
    async end() {
      await releaseRunFiles(layout, id);
      await unlink(lockPath).catch(() => undefined);
      runLock?.release();
      cacheLock.release();
    },
  };
}

/** Unmounts and removes everything a run left (its own at close, or a dead run's). */
export async function releaseRunFiles(layout: Layout, id: string): Promise<void> {
  const journal = join(layout.runs, `${id}.mounts`);
  const journaled = await readJournal(journal);
  const mountInfo = await readMountInfo();
  const mounted = new Set(mountInfo.map((entry) => entry.mountPoint));
  for (const target of journaled.reverse()) {
    if (mounted.has(target)) await unmount(target, { lazy: true, attempts: 1 }).catch(() => undefined);
  }
  const dir = join(layout.runs, id);
  // A run that never mounted its tmpfs (nor anything in it) forks no umount.
  for (const point of journaled.length === 0 ? mountsBelow(dir, mountInfo) : await mountsBelow(dir)) {
    await unmount(point, { lazy: true, attempts: 1 }).catch(() => undefined);
  }
  await removeMatching(layout.stage, `${id}-`);
  // A dropped object (integrity.ts) another live run still has mounted stays until it is unlocked.
  await removeMatching(layout.tmp, `${id}-`, (path) => inUse(join(path, 'object.lock')));
  for (const type of await readdir(layout.sources).catch(() => [] as string[])) {
    await removeMatching(join(layout.sources, type), `.tmp-${id}-`);
  }
  await rmdir(dir).catch(() => rm(dir, { recursive: true, force: true }));
  await rm(journal, { force: true });
}

async function readJournal(path: string): Promise<string[]> {
  try {
    return (await readFile(path, 'utf8'))
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as string);
  } catch {
    return [];
  }
}

async function removeMatching(dir: string, prefix: string, keep: (path: string) => boolean = () => false): Promise<void> {
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (name.startsWith(prefix) && !keep(join(dir, name))) await rm(join(dir, name), { recursive: true, force: true }).catch(() => undefined);
  }
}

/** An object.lock some live run holds (a missing file is not in use). */
function inUse(lockPath: string): boolean {
  const lock = tryLockFile(lockPath, 'exclusive', { create: false });
  if (lock !== null) {
    lock.release();
    return false;
  }
  try {
    statSync(lockPath);
    return true;
  } catch {
    return false;
  }
}

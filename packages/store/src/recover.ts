/**
 * Crash recovery, run by every open: whatever a dead run left (mounts,
 * staging dirs, half-deleted objects, source downloads) is removed. A run is
 * dead when nobody holds runs/<id>.lock — the kernel dropped the lock when
 * its process died, however it died. Objects need no recovery: they appear
 * only by rename of a complete directory.
 */
import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { tryLockFile } from './lock.js';
import { releaseRunFiles, RUN_ID } from './run.js';
import type { Layout } from './layout.js';

/** Debris younger than this may belong to a process that is just starting. */
const GRACE_MS = 60_000;

export async function recoverDeadRuns(layout: Layout, selfId: string): Promise<string[]> {
  const ids = new Set<string>();
  const add = (name: string, pattern: RegExp) => {
    const id = pattern.exec(name)?.[1];
    if (id !== undefined && RUN_ID.test(id) && id !== selfId) ids.add(id);
  };
  const runs = await readdir(layout.runs).catch(() => [] as string[]);
  for (const name of runs) add(name, /^([0-9a-f]{12})(?:\.lock|\.mounts)?$/);
  for (const name of await readdir(layout.stage).catch(() => [] as string[])) add(name, /^([0-9a-f]{12})-/);
  for (const name of await readdir(layout.tmp).catch(() => [] as string[])) add(name, /^([0-9a-f]{12})-/);
  for (const type of await readdir(layout.sources).catch(() => [] as string[])) {
    for (const name of await readdir(join(layout.sources, type)).catch(() => [] as string[])) {
      add(name, /^\.tmp-([0-9a-f]{12})-/);
    }
  }

  const dead: string[] = [];
  for (const id of ids) {
    const lockPath = join(layout.runs, `${id}.lock`);
    // A live run holds its lock from before it creates anything until after
    // it removed everything; no lock file at all means the run is over.
    const lock = tryLockFile(lockPath, 'exclusive', { create: false, unlinkable: true });
    if (lock === null && (await exists(lockPath))) continue;
    try {
      await releaseRunFiles(layout, id);
      await unlink(lockPath).catch(() => undefined);
      dead.push(id);
    } finally {
      lock?.release();
    }
  }

  // A run killed between creating and renaming its lock file.
  for (const name of runs) {
    if (/^\.[0-9a-f]{12}\.new$/.test(name)) await removeIfUnlockedAndOld(join(layout.runs, name));
  }
  // Build mutexes whose holder died (the file is normally unlinked by its holder).
  for (const name of await readdir(layout.locks).catch(() => [] as string[])) {
    const path = join(layout.locks, name);
    const lock = tryLockFile(path, 'exclusive', { create: false, unlinkable: true });
    if (lock !== null) {
      await unlink(path).catch(() => undefined);
      lock.release();
    }
  }
  // Atomic-write temporaries in the root (cache.info, CACHEDIR.TAG).
  for (const name of await readdir(layout.root).catch(() => [] as string[])) {
    if (name.startsWith('.tmp-')) await removeIfOld(join(layout.root, name));
  }
  return dead;
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null)) !== null;
}

async function removeIfOld(path: string): Promise<void> {
  const info = await stat(path).catch(() => null);
  if (info !== null && Date.now() - info.mtimeMs > GRACE_MS) await unlink(path).catch(() => undefined);
}

async function removeIfUnlockedAndOld(path: string): Promise<void> {
  const lock = tryLockFile(path, 'exclusive', { create: false, unlinkable: true });
  if (lock === null) return;
  try {
    await removeIfOld(path);
  } finally {
    lock.release();
  }
}

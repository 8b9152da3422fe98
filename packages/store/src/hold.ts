/**
 * "In use" marking. A run that uses an object (mounts it, builds on it)
 * read-locks object.lock of every object in its stack; the evictor only
 * deletes an object whose object.lock it can write-lock, so an object in use
 * by any live run — in this process or another — is never deleted. Locks are
 * reference-counted per run, one fd per object. Taking an object's lock also
 * touches its object.lock's mtime: the LRU clock.
 */
import { utimesSync } from 'node:fs';
import { storeError } from './errors.js';
import { lockFile, type FileLock } from './lock.js';
import { objectDir, type Layout } from './layout.js';
import { checkStack } from './integrity.js';
import { objectFiles, resolveStack, type ObjectInfo } from './objects.js';

/** Keeps an object and the objects below it from eviction until released. */
export interface Hold {
  readonly key: string;
  /** The held object's stack, newest first. */
  readonly stack: readonly ObjectInfo[];
  /** Idempotent. */
  release(): void;
}

export interface Holds {
  /**
   * Read-locks `key`'s whole stack; throws `missing` if any of it is gone,
   * `damaged` if a layer of it no longer matches its seal (checked once per
   * layer and run, integrity.ts).
   */
  hold(key: string, adopted?: FileLock): Promise<Hold>;
  /** A layer this run sealed or checked: no need to walk it again. */
  markVerified(key: string): void;
  /** An object was dropped or resealed: the next hold of any stack reads object.info again. */
  forget(key: string): void;
  /** Keys this run holds right now. */
  held(): string[];
  releaseAll(): void;
}

/** How long a reader waits for an evictor that has the object write-locked (it holds it for milliseconds). */
const EVICTOR_WAIT_MS = 10_000;

export function createHolds(layout: Layout, options: { checkSeals?: boolean } = {}): Holds {
  const locks = new Map<string, { lock: FileLock; count: number }>();
  const verified = new Set<string>();
  // The stack of each key this run holds, read while it was locked: a held
  // object and everything below it cannot change (objects appear by rename,
  // and go only under a write lock), so a second hold of it (a warm build's
  // export after its reuse check) reads no object.info again. Forgotten when
  // the last lock on the key goes.
  const stacks = new Map<string, { stack: readonly ObjectInfo[]; index: number }>();

  const drop = (key: string) => {
    const entry = locks.get(key);
    if (entry === undefined) return;
    if (--entry.count === 0) {
      locks.delete(key);
      stacks.delete(key);
      entry.lock.release();
    }
  };

  /** True when this run did not hold `key` yet. */
  const take = async (key: string, adopted?: FileLock): Promise<boolean> => {
    const entry = locks.get(key);
    if (entry !== undefined) {
      entry.count++;
      adopted?.release();
      return false;
    }
    const lock =
      adopted ??
      (await lockFile(objectFiles(objectDir(layout, key)).lock, 'shared', {
        create: false,
        unlinkable: true,
        timeoutMs: EVICTOR_WAIT_MS,
      }));
    if (lock === null) throw storeError('missing', `object ${key} is not in the store (evicted?)`, { details: { key } });
    locks.set(key, { lock, count: 1 });
    return true;
  };
  const knownStack = (key: string) => {
    const known = stacks.get(key);
    return known === undefined ? undefined : known.stack.slice(known.index);
  };

  return {
    async hold(key, adopted) {
      // Newest first: once the top object is locked, eviction cannot remove
      // anything below it (it only removes objects without descendants).
      const taken: string[] = [];
      const fresh: string[] = [];
      try {
        if (await take(key, adopted)) fresh.push(key);
        taken.push(key);
        // Known only while an earlier hold of a stack with this key in it is still taken, and with it every layer below.
        const stack = knownStack(key) ?? resolveStack(layout, key, knownStack);
        for (const info of stack.slice(1)) {
          if (await take(info.key)) fresh.push(info.key);
          taken.push(info.key);
        }
        // Under the read locks: nothing can delete the layers while they are walked.
        if (options.checkSeals !== false) await checkStack(layout, stack, verified);
        for (const info of stack) verified.add(info.key);
        stack.forEach((info, index) => {
          if (!stacks.has(info.key)) stacks.set(info.key, { stack, index });
        });
        // The LRU clock: once per run while held (a stack held on and on by its stages needs no new stamp per stage).
        const now = new Date();
        for (const k of fresh) utimesSync(objectFiles(objectDir(layout, k)).lock, now, now);
        let held = true;
        return {
          key,
          stack,
          release() {
            if (!held) return;
            held = false;
            for (const k of taken) drop(k);
          },
        };
      } catch (error) {
        for (const k of taken) drop(k);
        throw error;
      }
    },
    markVerified: (key) => verified.add(key),
    forget(key) {
      verified.delete(key);
      stacks.clear();
    },
    held: () => [...locks.keys()],
    releaseAll() {
      for (const entry of locks.values()) entry.lock.release();
      locks.clear();
      stacks.clear();
    },
  };
}

/**
 * The size bound. Rule: an object is deleted only when
 *  1. no other object stacks on it (nothing has it as `lower`): a layer is
 *     part of every descendant's tree, so descendants always go first;
 *  2. it is not pinned (checkpoint);
 *  3. no live run uses it: we get object.lock write-locked (hold.ts);
 * in least-recently-used order (object.lock mtime, touched for the whole
 * stack on every use), deeper first on ties. Deleting a leaf may make its
 * lower a leaf, which then competes by its own last use.
 *
 * Deletion = rename objects/<key> away (instantly invisible) while holding
 * the write lock, then rm -rf. Objects in use or pinned can keep the store
 * above its bound; it is enforced again after every commit and at close.
 */
import { rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { StoreContext } from './context.js';
import { removeTree } from './files.js';
import { objectDir, readMaximumSize, type MaximumSize } from './layout.js';
import { tryLockFile } from './lock.js';
import { listKeys, objectFiles, readEntry, type ObjectEntry } from './objects.js';

export interface EvictReport {
  readonly maximumSize: MaximumSize;
  /** Bytes of all objects before and after. */
  readonly before: number;
  readonly after: number;
  readonly evicted: readonly string[];
  /** Leaves that were candidates but in use by a live run. */
  readonly inUse: readonly string[];
  /** Another process was evicting; this call did nothing. */
  readonly skipped: boolean;
}

/** Evicts until the objects plus `need` bytes fit the maximum size. */
export async function evict(ctx: StoreContext, need = 0): Promise<EvictReport> {
  const { layout } = ctx;
  const maximumSize = await readMaximumSize(layout);
  if (maximumSize === 'unlimited') return { maximumSize, before: 0, after: 0, evicted: [], inUse: [], skipped: false };
  const mutex = tryLockFile(layout.evictLock, 'exclusive');
  if (mutex === null) return { maximumSize, before: 0, after: 0, evicted: [], inUse: [], skipped: true };
  try {
    const objects = new Map<string, ObjectEntry>();
    for (const key of await listKeys(layout)) {
      const entry = await readEntry(layout, key);
      if (entry !== null) objects.set(key, entry);
    }
    let total = 0;
    for (const entry of objects.values()) total += entry.size;
    const before = total;
    const evicted: string[] = [];
    const inUse: string[] = [];
    if (total + need <= maximumSize) {
      return { maximumSize, before, after: total, evicted, inUse, skipped: false };
    }

    const children = new Map<string, number>();
    for (const entry of objects.values()) {
      if (entry.lower !== null) children.set(entry.lower, (children.get(entry.lower) ?? 0) + 1);
    }
    const isCandidate = (entry: ObjectEntry) => !entry.pinned && (children.get(entry.key) ?? 0) === 0;
    const order = (a: ObjectEntry, b: ObjectEntry) => a.lastUsed - b.lastUsed || b.depth - a.depth;
    const queue = [...objects.values()].filter(isCandidate).sort(order);

    while (total + need > maximumSize) {
      const entry = queue.shift();
      if (entry === undefined) break;
      const dir = objectDir(layout, entry.key);
      const lock = tryLockFile(objectFiles(dir).lock, 'exclusive', { create: false, unlinkable: true });
      if (lock === null) {
        inUse.push(entry.key);
        continue;
      }
      try {
        // Look again under the lock: a child committed since the scan (its
        // builder held our entry read-locked until it was visible), or a pin.
        let fresh = false;
        for (const added of await newObjects(ctx, objects)) {
          objects.set(added.key, added);
          total += added.size;
          if (added.lower !== null) children.set(added.lower, (children.get(added.lower) ?? 0) + 1);
          if (added.lower === entry.key) fresh = true;
        }
        if (fresh) continue;
        if ((await stat(objectFiles(dir).pinned).catch(() => null)) !== null) continue;
        const trash = join(layout.tmp, ctx.run.nextName());
        await rename(dir, trash);
        lock.release();
        await removeTree(trash);
      } finally {
        lock.release();
      }
      objects.delete(entry.key);
      total -= entry.size;
      evicted.push(entry.key);
      if (entry.lower !== null) {
        const left = (children.get(entry.lower) ?? 1) - 1;
        children.set(entry.lower, left);
        const lower = objects.get(entry.lower);
        if (left === 0 && lower !== undefined && isCandidate(lower)) {
          queue.push(lower);
          queue.sort(order);
        }
      }
    }
    return { maximumSize, before, after: total, evicted, inUse, skipped: false };
  } finally {
    mutex.release();
  }
}

/** Objects that appeared since the scan. */
async function newObjects(ctx: StoreContext, known: ReadonlyMap<string, ObjectEntry>): Promise<ObjectEntry[]> {
  const added: ObjectEntry[] = [];
  for (const key of await listKeys(ctx.layout)) {
    if (known.has(key)) continue;
    const entry = await readEntry(ctx.layout, key);
    if (entry !== null) added.push(entry);
  }
  return added;
}

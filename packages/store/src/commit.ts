/**
 * Building an object: a stage runs on a fresh layer over its parent's stack,
 * and commit turns that layer into objects/<key> with one rename.
 *
 *   stage/<run>-<n>/obj/layer   the overlay's upper dir (or, for a complete
 *                               layer, the tree itself, bind-mounted)
 *   stage/<run>-<n>/work        the overlay's work dir, discarded
 *   commit: unmount → du → write obj/object.info, read-lock obj/object.lock
 *           → rename obj → objects/<key>
 *
 * A per-key build mutex (locks/build-<key>) makes a second builder of the
 * same key wait and then reuse the first one's object.
 */
import { mkdir, rename, rmdir, unlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StoreContext } from './context.js';
import { errnoOf, storeError } from './errors.js';
import { diskUsage, removeTree, runTool } from './files.js';
import type { Hold } from './hold.js';
import { checkKey, objectDir } from './layout.js';
import { lockFile, tryLockFile, type FileLock } from './lock.js';
import { unmount } from './mount.js';
import { chainField, layerDir, objectFiles, readObjectInfo, serializeInfo, type ChainLink, type ObjectInfo } from './objects.js';
import { mountLayers } from './overlay.js';
import { mountTree } from './tree.js';
import { sealLayer } from './integrity.js';
import { naming } from './space.js';

export interface CommitInfo {
  /** osbuild's object id (stage id). */
  id: string;
  /** Plugin fingerprints of the chain (any JSON; stored as given). */
  plugins: readonly unknown[];
  /** The stage's metadata document (JSON), if it wrote one. */
  metadata?: unknown;
  /** Pin the object against eviction (a checkpoint). */
  pin?: boolean;
  /**
   * The source-epoch clamp the caller applied to the whole merged tree just
   * before this commit: every entry with mtime ≥ `since` was set to `epoch`
   * (`complete`: none was skipped, e.g. as immutable). Recorded as a bound
   * on the tree's mtimes (ObjectInfo.mtimeBound), which lets a later clamp
   * on top skip everything below.
   */
  clamp?: { since: number; epoch: number; complete: boolean };
  /**
   * Stages that ran on this same layer before the one committed (oldest
   * first): recorded in object.info (ObjectInfo.chain) so a later build
   * can report them as cached with their metadata.
   */
  chain?: readonly ChainLink[];
}

export interface PrepareOptions {
  /** Mount the writable tree here instead of a private mount point (see MountTreeOptions.target). */
  target?: string;
  /** Stop waiting for another builder of the same key. */
  signal?: AbortSignal;
  /** Called once if another process is building this key and this call waits for it. */
  onWait?: () => void;
}

/** The object is in the store already (maybe built meanwhile by another process): it is held for this run. */
export interface CachedLayer {
  readonly cached: true;
  readonly key: string;
  readonly hold: Hold;
}

export interface PreparedLayer {
  readonly cached: false;
  readonly key: string;
  /** The merged, writable tree the stage runs on. */
  readonly treePath: string;
  /** True when this layer starts as a full copy of the parent's tree (the stack got too deep). */
  readonly flattened: boolean;
  /** Unix time (s) recorded as the object's creation: files the stage touches have mtime ≥ this. */
  readonly created: number;
  /**
   * The layer's own directory (the overlay's upper dir): every entry the
   * stage added or changed is in it, at its path in the tree. Read it, do
   * not write it while mounted: changes go through `treePath`.
   */
  readonly layerDir: string;
  /**
   * An upper bound (Unix seconds, floored) on the mtime of everything the
   * layers below show in the tree; -Infinity when there is nothing below
   * (the layer holds the whole tree); null when unknown (a layer below was
   * committed without the record).
   */
  readonly mtimeBoundBelow: number | null;
  /** Unmounts, stores the layer as objects/<key>, returns a hold on it. */
  commit(info: CommitInfo): Promise<Hold>;
  /** Unmounts and discards the layer. Idempotent; a no-op after commit. */
  abort(): Promise<void>;
}

export type Prepared = CachedLayer | PreparedLayer;

export async function prepareLayer(
  ctx: StoreContext,
  key: string,
  parent: string | null,
  options: PrepareOptions = {},
): Promise<Prepared> {
  checkKey(key);
  if (parent !== null) checkKey(parent);
  const { layout, run } = ctx;

  const buildLockPath = join(layout.locks, `build-${key}`);
  const buildLock = await lockFile(buildLockPath, 'exclusive', {
    unlinkable: true,
    signal: options.signal,
    ...(options.onWait ? { onWait: options.onWait } : {}),
  });
  if (buildLock === null) throw storeError('layout', `cannot lock ${buildLockPath}`);
  const releaseBuildLock = async () => {
    // Unlink while holding: a waiter then finds the name gone and retries on a new file.
    await unlink(buildLockPath).catch(() => undefined);
    buildLock.release();
  };

  let parentHold: Hold | undefined;
  let stageDir: string | undefined;
  try {
    if ((await readObjectInfo(layout, key)) !== null) {
      try {
        const hold = await ctx.holds.hold(key);
        await releaseBuildLock();
        return { cached: true, key, hold };
      } catch {
        // Evicted between the check and the hold: build it.
      }
    }

    parentHold = parent === null ? undefined : await ctx.holds.hold(parent);
    const parentInfo = parentHold?.stack[0];
    const flattened = parentInfo !== undefined && parentInfo.depth + 1 > ctx.maxDepth;
    const lower = parentInfo !== undefined && !flattened ? parentInfo.key : null;
    const depth = lower === null ? 1 : (parentInfo as ObjectInfo).depth + 1;
    const created = Math.floor(Date.now() / 1000);

    stageDir = join(layout.stage, run.nextName());
    const obj = join(stageDir, 'obj');
    const files = objectFiles(obj);
    const work = join(stageDir, 'work');
    await mkdir(files.layer, { recursive: true });
    await mkdir(work);

    if (flattened) {
      // Too deep to stack further: this layer starts as the parent's whole tree.
      const tree = await mountTree(ctx, (parentInfo as ObjectInfo).key);
      try {
        await runTool('cp', ['-a', '--reflink=auto', `${tree.path}/.`, `${files.layer}/`]);
      } finally {
        await tree.unmount();
      }
    }

    const target = options.target ?? (await run.privateDir('t'));
    if (options.target !== undefined) await run.journalMount(target);
    const lowers = lower === null ? [] : (parentHold as Hold).stack.map((info) => layerDir(layout, info.key));
    await mountLayers(run, { lowers, upper: { dir: files.layer, work }, target });

    const mtimeBoundBelow = lower === null ? Number.NEGATIVE_INFINITY : ((parentInfo as ObjectInfo).mtimeBound ?? null);
    let state: 'prepared' | 'committed' | 'aborted' = 'prepared';
    let mounted = true;
    const stage = stageDir;

    const finish = async () => {
      ctx.open.delete(abort);
      if (options.target === undefined) await rmdir(target).catch(() => undefined);
      await removeTree(stage);
      parentHold?.release();
      await releaseBuildLock();
    };

    const abort = async () => {
      if (state !== 'prepared') return;
      state = 'aborted';
      if (mounted) await unmount(target, { lazy: true }).catch(() => undefined);
      mounted = false;
      await finish();
    };

    const commit = async (info: CommitInfo): Promise<Hold> => {
      if (state !== 'prepared') throw storeError('usage', `layer ${key} was already ${state}`);
      // Strict unmount: a layer must not change after it is measured and published.
      await unmount(target);
      mounted = false;
      state = 'committed';
      try {
        // Overlayfs shares one whiteout inode (hard links) between the work
        // dir and every whiteout in the layer: removing the work dir changes
        // their link count and ctime, so it goes before the seal is taken.
        await removeTree(work);
        const sealed = await sealLayer(files.layer, { walkLimit: Number.POSITIVE_INFINITY });
        const mtimeBound = boundOf(sealed.maxMtime, mtimeBoundBelow, info.clamp);
        await naming(obj, `committing the object of ${key}`, () => writeFile(files.manifest, sealed.manifestText));
        const objectInfo: ObjectInfo = {
          key,
          id: info.id,
          parent,
          lower,
          depth,
          plugins: [...info.plugins],
          created,
          size: sealed.bytes ?? (await diskUsage(files.layer)),
          seal: sealed.seal,
          manifest: sealed.manifest,
          entries: sealed.entries,
          ...(mtimeBound === null ? {} : { mtimeBound }),
          ...chainField(info.chain),
        };
        if (info.metadata !== undefined && info.metadata !== null) {
          await writeFile(files.metadata, `${JSON.stringify(info.metadata)}\n`);
        }
        if (info.pin === true) await writeFile(files.pinned, '');
        await naming(obj, `committing the object of ${key}`, () => writeFile(files.info, serializeInfo(objectInfo, ctx.bootId)));
        // Read-locked before it is visible, so no evictor can take it from us.
        const lock = tryLockFile(files.lock, 'shared') as FileLock;
        const hold = await publish(ctx, key, obj, lock);
        await finish();
        await ctx.afterCommit();
        return hold;
      } catch (error) {
        await finish();
        throw error;
      }
    };

    ctx.open.add(abort);
    return { cached: false, key, treePath: target, flattened, created, layerDir: files.layer, mtimeBoundBelow, commit, abort };
  } catch (error) {
    parentHold?.release();
    if (stageDir !== undefined) await removeTree(stageDir);
    await releaseBuildLock();
    throw error;
  }
}

/**
 * The mtime bound of an object's merged tree (ObjectInfo.mtimeBound): its
 * own layer's latest mtime and the bound below, whichever is later (an
 * entry shows from one layer or the other); after a complete clamp, also
 * at most max(since − 1, epoch), since every entry is then older than
 * `since` or at `epoch`. Null when unknown, or not finite.
 */
export function boundOf(own: number, below: number | null, clamp?: CommitInfo['clamp']): number | null {
  let bound = below === null ? null : Math.max(own, below);
  if (clamp?.complete === true) {
    const clamped = Math.max(Math.ceil(clamp.since) - 1, Math.floor(clamp.epoch));
    bound = bound === null ? clamped : Math.min(bound, clamped);
  }
  return bound !== null && Number.isFinite(bound) ? bound : null;
}

/** rename(2) into objects/; an existing valid object wins (then ours is dropped). */
export async function publish(ctx: StoreContext, key: string, obj: string, lock: FileLock): Promise<Hold> {
  const dest = objectDir(ctx.layout, key);
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(obj, dest);
      ctx.holds.markVerified(key);
      const now = new Date();
      await utimes(objectFiles(dest).lock, now, now);
      return await ctx.holds.hold(key, lock);
    } catch (error) {
      const code = errnoOf(error);
      if ((code !== 'ENOTEMPTY' && code !== 'EEXIST') || attempt > 0) {
        lock.release();
        throw error;
      }
      if ((await readObjectInfo(ctx.layout, key)) !== null) {
        lock.release();
        return ctx.holds.hold(key);
      }
      // Debris under our key (not an object of ours): move it aside, retry once.
      const trash = join(ctx.layout.tmp, ctx.run.nextName());
      await rename(dest, trash);
      await removeTree(trash);
    }
  }
}

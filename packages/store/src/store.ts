/** openStore: one handle (a "run") on a store directory, tying the modules together. */
import { realpathSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { prepareLayer, type PrepareOptions, type Prepared } from './commit.js';
import { importLayer, type FillResult, type ImportResult, type ImportSpec } from './import.js';
import type { StoreContext } from './context.js';
import { storeError } from './errors.js';
import { evict, type EvictReport } from './evict.js';
import { ensureDir } from './files.js';
import { createHolds, type Hold } from './hold.js';
import { checkKey, createScaffolding, layoutOf, objectDir, readMaximumSize, writeMaximumSize, type MaximumSize } from './layout.js';
import { listKeys, objectFiles, readEntry, readMetadata, readObjectInfo, type ObjectEntry, type ObjectInfo } from './objects.js';
import { KERNEL_MAX_LAYERS } from './overlay.js';
import { dropObject, reseal, verifyObject, type VerifyReport } from './integrity.js';
import { recoverDeadRuns } from './recover.js';
import { startRun } from './run.js';
import { createSourceCache, type SourceCache } from './sources.js';
import { exportTree, mountTree, type ExportOptions, type MountedTree, type MountTreeOptions } from './tree.js';

export interface OpenOptions {
  /** Persist a new size bound into cache.info (what `--cache-max-size` does). */
  maximumSize?: MaximumSize;
  /**
   * Deepest layer stack before a new object is flattened into a complete
   * layer (a copy of its parent's tree). Default 64, at most 500.
   */
  maxDepth?: number;
  /**
   * Check each layer's seal when it is first used (default true). Only
   * benchmarks turn it off, to measure what the check costs.
   */
  checkSeals?: boolean;
}

export interface Store {
  /** Absolute, symlink-free path of the store. */
  readonly root: string;
  /** This handle's run id (names its staging dirs and mounts). */
  readonly runId: string;
  /** Dead runs whose debris this open removed. */
  readonly recovered: readonly string[];
  /**
   * A fresh empty directory in this run's private tmpfs, for others' mounts
   * (the sandbox's areas): whatever is mounted there goes when the run ends,
   * and a later open removes it if this process dies.
   */
  scratchDir(prefix: string): Promise<string>;

  /** Whether a complete object is stored under `key`. */
  has(key: string): Promise<boolean>;
  info(key: string): Promise<ObjectInfo | null>;
  /** The metadata JSON committed with the object, or null. */
  metadata(key: string): Promise<unknown>;
  /** Every object with its pin and last use. */
  list(): Promise<ObjectEntry[]>;
  /**
   * Protects `key` and everything below it from eviction until released (or
   * close). Each layer of the stack is checked against its seal the first
   * time this handle uses it: a layer changed since its commit throws a
   * `damaged` StoreError (details.key names it), a missing link `missing`.
   */
  hold(key: string): Promise<Hold>;
  /**
   * Takes an object out of the store at once (damaged, or a broken link);
   * objects stacked on it become broken links in turn. False if it was not there.
   */
  drop(key: string): Promise<boolean>;
  /**
   * `osbuild store verify`: every object's content against its manifest,
   * lowest layers first. `repair`: drop what is damaged, broken or unsealed,
   * re-seal what is intact but was copied (new inodes/ctimes).
   */
  verify(options?: { repair?: boolean }): Promise<VerifyReport[]>;

  /**
   * Starts building `key` on top of `parent` (null: an empty tree). Waits
   * while another process builds the same key, and returns `cached` if the
   * object exists by then.
   */
  prepareLayer(key: string, parent: string | null, options?: PrepareOptions): Promise<Prepared>;
  /**
   * Adds an object built elsewhere (a remote cache): `fill` writes its layer
   * into an empty directory; the store checks it against `spec.manifestText`
   * and commits it atomically (a `damaged` StoreError when it differs).
   * Waits for a builder of the same key; `imported: false` when the object
   * was there by then.
   */
  importLayer(key: string, spec: ImportSpec, fill: (layerDir: string) => Promise<void | FillResult>, options?: { signal?: AbortSignal }): Promise<ImportResult>;
  /** The object's own layer directory (read-only; hold the object while reading it), and its layer.manifest text. */
  layer(key: string): Promise<{ dir: string; manifestText: string }>;
  /** A merged view of the object's tree (read-only unless `writable`). */
  mountTree(key: string, options?: MountTreeOptions): Promise<MountedTree>;
  /** Copies the object's tree to `destination` (`cp -a --reflink=auto`). */
  exportTree(key: string, destination: string, options?: ExportOptions): Promise<void>;

  pin(key: string): Promise<void>;
  unpin(key: string): Promise<void>;

  maximumSize(): Promise<MaximumSize>;
  setMaximumSize(size: MaximumSize): Promise<void>;
  /** Enforces the size bound now (plus `need` bytes of headroom). */
  evict(need?: number): Promise<EvictReport>;

  readonly sources: SourceCache;

  /** Aborts open layers, unmounts open trees, releases holds, evicts, removes the run. */
  close(): Promise<void>;
}

export async function openStore(path: string, options: OpenOptions = {}): Promise<Store> {
  const maxDepth = options.maxDepth ?? 64;
  if (!Number.isInteger(maxDepth) || maxDepth < 1 || maxDepth > KERNEL_MAX_LAYERS) {
    throw storeError('usage', `maxDepth must be an integer from 1 to ${KERNEL_MAX_LAYERS}, got ${maxDepth}`);
  }
  await ensureDir(path);
  const layout = layoutOf(realpathSync.native(path));
  await createScaffolding(layout);
  if (options.maximumSize !== undefined) await writeMaximumSize(layout, options.maximumSize);
  await readMaximumSize(layout); // refuses an unknown cache.info version before touching anything

  const run = await startRun(layout);
  let recovered: string[];
  try {
    recovered = await recoverDeadRuns(layout, run.id);
  } catch (error) {
    await run.end();
    throw error;
  }
  const bootId = (await readFile('/proc/sys/kernel/random/boot_id', 'utf8').catch(() => '')).trim();
  const holds = createHolds(layout, { checkSeals: options.checkSeals ?? true });
  const open = new Set<() => Promise<void>>();
  let closed = false;

  const ctx: StoreContext = {
    layout,
    run,
    holds,
    maxDepth,
    bootId,
    open,
    async afterCommit() {
      // Best effort: the commit already happened; a failing eviction must not undo that.
      await evict(ctx).catch(() => undefined);
    },
  };

  const live = () => {
    if (closed) throw storeError('usage', 'the store handle is closed');
  };

  const setPin = async (key: string, pinned: boolean) => {
    live();
    // Held while the marker changes, so an evictor cannot be deleting it meanwhile.
    const hold = await holds.hold(checkKey(key));
    try {
      const marker = objectFiles(objectDir(layout, key)).pinned;
      if (pinned) await writeFile(marker, '');
      else await rm(marker, { force: true });
    } finally {
      hold.release();
    }
  };

  return {
    root: layout.root,
    runId: run.id,
    scratchDir: (prefix) => {
      live();
      return run.privateDir(prefix);
    },
    recovered,
    async has(key) {
      return (await readObjectInfo(layout, checkKey(key))) !== null;
    },
    info: (key) => readObjectInfo(layout, checkKey(key)),
    metadata: (key) => readMetadata(layout, checkKey(key)),
    async list() {
      const entries: ObjectEntry[] = [];
      for (const key of await listKeys(layout)) {
        const entry = await readEntry(layout, key);
        if (entry !== null) entries.push(entry);
      }
      return entries;
    },
    hold(key) {
      live();
      return holds.hold(checkKey(key));
    },
    drop(key) {
      live();
      return dropObject(ctx, checkKey(key));
    },
    async verify(verifyOptions = {}) {
      live();
      const reports: VerifyReport[] = [];
      const status = new Map<string, VerifyReport['status']>();
      const depthOf = async (key: string) => (await readObjectInfo(layout, key).catch(() => null))?.depth ?? 0;
      const keys = await listKeys(layout);
      const depths = new Map<string, number>();
      for (const key of keys) depths.set(key, await depthOf(key));
      keys.sort((a, b) => (depths.get(a) ?? 0) - (depths.get(b) ?? 0));
      for (const key of keys) {
        let report = await verifyObject(layout, key);
        const info = await readObjectInfo(layout, key).catch(() => null);
        const below = info?.lower == null ? undefined : status.get(info.lower);
        if ((report.status === 'ok' || report.status === 'resealed') && below !== undefined && below !== 'ok' && below !== 'resealed') {
          report = { ...report, status: 'broken', problems: [`it stacks on ${info!.lower}, which is ${below}`] };
        }
        status.set(key, report.status);
        let repaired = false;
        if (verifyOptions.repair === true) {
          if (report.status === 'resealed') {
            await reseal(ctx, key);
            repaired = true;
          } else if (report.status !== 'ok') {
            repaired = await dropObject(ctx, key);
          }
        }
        reports.push({ ...report, repaired });
      }
      return reports;
    },
    prepareLayer(key, parent, prepareOptions) {
      live();
      return prepareLayer(ctx, key, parent, prepareOptions);
    },
    importLayer(key, spec, fill, importOptions) {
      live();
      return importLayer(ctx, key, spec, fill, importOptions);
    },
    async layer(key) {
      const files = objectFiles(objectDir(layout, checkKey(key)));
      return { dir: files.layer, manifestText: await readFile(files.manifest, 'utf8') };
    },
    mountTree(key, mountOptions) {
      live();
      return mountTree(ctx, checkKey(key), mountOptions);
    },
    exportTree(key, destination, exportOptions) {
      live();
      return exportTree(ctx, checkKey(key), destination, exportOptions);
    },
    pin: (key) => setPin(key, true),
    unpin: (key) => setPin(key, false),
    maximumSize: () => readMaximumSize(layout),
    setMaximumSize: (size) => writeMaximumSize(layout, size),
    evict(need) {
      live();
      return evict(ctx, need);
    },
    sources: createSourceCache(layout, run),
    async close() {
      if (closed) return;
      closed = true;
      for (const cleanup of [...open].reverse()) await cleanup().catch(() => undefined);
      holds.releaseAll();
      await evict(ctx).catch(() => undefined);
      await run.end();
    },
  };
}

/**
 * Sealing layers at commit, checking seals on use, verifying objects in
 * full (`store verify`), and dropping a damaged object. See seal.ts for what
 * each check catches.
 */
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StoreContext } from './context.js';
import { errnoOf, isStoreError, storeError } from './errors.js';
import { removeTree } from './files.js';
import { objectDir, type Layout } from './layout.js';
import { tryLockFile } from './lock.js';
import { layerDir, objectFiles, readObjectInfo, serializeInfo, type ObjectInfo } from './objects.js';
import { formFor, formOf } from './content-digest.js';
import { describeChanges, digestOf, hashFiles, manifestOf, maxMtimeOf, parseManifest, scanLayers, scanLayersWithFind, sealLayerSorted, sealOf, serializeManifest, type ManifestEntry, type ScannedEntry } from './seal.js';
import { entryOf, HERE_LIMIT, scanLayersHere, sealLayerHere } from './scan-here.js';
import { sparsifyLayer, type Sparsified } from './sparsify.js';

export interface Sealed {
  readonly seal: string;
  readonly manifestText: string;
  readonly manifest: string;
  /** What `du -s -x -B1` prints for the layer, when the walk measured it (small layers). */
  readonly bytes?: number;
  /** The latest mtime of the layer's entries, whole seconds (objects.ts ObjectInfo.mtimeBound). */
  readonly maxMtime: number;
  /** How many entries the layer holds, its root included (objects.ts ObjectInfo.entries). */
  readonly entries: number;
}

/**
 * Seal and manifest of a finished (unmounted) layer.
 *  - `recorded`: content digests of a manifest the layer must match (an
 *    import), whose forms (content-digest.ts) are kept;
 *  - `known`: sha256 of files' content already taken by whoever wrote them
 *    (an import hashing the archive it extracts). They stand in for reading
 *    the files whose digest is a plain sha256; the others are read here.
 *  - `walkLimit`: the most entries walked in this process (scan-here.ts);
 *    a larger layer is walked by `find` and measured by `du`. The walk
 *    here is synchronous: a commit, which waits for its seal anyway, walks
 *    any layer here (one walk instead of find's output parsed and a `du`);
 *    an import, which may run beside a download, keeps the default.
 */
export async function sealLayer(
  dir: string,
  options: { recorded?: ReadonlyMap<string, string>; known?: ReadonlyMap<string, string>; walkLimit?: number } = {},
): Promise<Sealed> {
  const { recorded, known, walkLimit } = options;
  const here = scanLayersHere([dir], walkLimit);
  let entries = (here?.entries ?? (await scanLayersWithFind([dir]))).get(dir)!;
  let bytes = here?.bytes.get(dir);
  const sparsified = await sparsifyLayer(dir, entries);
  if (sparsified.length > 0) {
    // Blocks and ctimes of these files moved, nothing else (sparsify.ts):
    // their entries are taken again, the rest of the walk stands.
    ({ entries, bytes } = afterSparsify(entries, bytes, sparsified));
  }
  const plain = (e: ScannedEntry) => {
    const previous = recorded?.get(e.path);
    return (previous !== undefined ? formOf(previous) : formFor(Number(e.stable.split(' ')[3]))) === 'bytes';
  };
  const taken = (e: ScannedEntry) => e.type === 'f' && known?.has(e.path) === true && plain(e);
  const hashes = await hashFiles(dir, entries.filter((e) => !taken(e)), recorded);
  for (const e of entries) if (taken(e)) hashes.set(e.path, known!.get(e.path)!);
  const manifestText = serializeManifest(manifestOf(entries, hashes));
  return { seal: sealOf(entries), manifestText, manifest: digestOf(manifestText), ...(bytes === undefined ? {} : { bytes }), maxMtime: maxMtimeOf(entries), entries: entries.length };
}

/**
 * The entries (and `du`'s size) of a layer after sparsify.ts changed the
 * listed files: their entries are made from their new stat, as a new walk
 * would give them (scan-here.ts entryOf gives find's text); sparsify only
 * touches files with one link, so each one's blocks count once in the size.
 */
export function afterSparsify(
  entries: readonly ScannedEntry[],
  bytes: number | undefined,
  sparsified: readonly Sparsified[],
): { entries: ScannedEntry[]; bytes: number | undefined } {
  const byPath = new Map(sparsified.map((s) => [s.path, s]));
  let delta = 0n;
  const patched = entries.map((e) => {
    const s = byPath.get(e.path);
    if (s === undefined) return e;
    delta += (s.after.blocks - s.before.blocks) * 512n;
    return entryOf(e.path, s.after);
  });
  return { entries: patched, bytes: bytes === undefined ? undefined : bytes + Number(delta) };
}

/**
 * The fast check of a stack's layers: throws `damaged` naming the first
 * object (oldest first: a damaged lower layer is named before what stacks
 * on it) whose layer no longer matches its seal, or that has no seal (an
 * older format). `skip`: layers checked already. Each layer's seal is
 * taken without a list of its entries: by a walk in seal order here for a
 * small layer (scan-here.ts sealLayerHere), else by find | sort streamed
 * into the hash (seal.ts sealLayerSorted): a layer of 500,000 files is
 * checked in constant memory of this process. Only a layer whose seal
 * differs is listed in full, to say what changed (or to find that it did
 * not: names the streamed seal sees differently).
 */
export async function checkStack(layout: Layout, stack: readonly ObjectInfo[], skip: ReadonlySet<string>): Promise<void> {
  const todo = stack.filter((info) => !skip.has(info.key));
  if (todo.length === 0) return;
  for (const info of todo) {
    if (info.seal === null) {
      throw damaged(info, 'it was committed by an older osbuild-ts, without a digest of its content', []);
    }
  }
  for (const info of [...todo].reverse()) {
    const dir = layerDir(layout, info.key);
    let entries;
    try {
      // A layer known to hold more than the walk here takes goes to find at once (not after HERE_LIMIT lstats).
      const here = info.entries !== undefined && info.entries > HERE_LIMIT ? null : sealLayerHere(dir);
      if ((here ?? (await sealLayerSorted(dir))) === info.seal) continue;
      // Changed, or a name the streamed seal does not see as sealOf does: a full scan decides.
      entries = (await scanLayers([dir], Number.POSITIVE_INFINITY)).get(dir)!;
    } catch (error) {
      if (!isStoreError(error, 'damaged')) throw error;
      throw damaged(info, 'its layer directory is gone', []);
    }
    if (sealOf(entries) === info.seal) continue;
    const recorded = await readManifest(layout, info);
    const changes = recorded === null ? [] : describeChanges(recorded, entries, null);
    throw damaged(info, changes.length === 0 ? 'files were rewritten in place' : changes.join('; '), changes);
  }
}

function damaged(info: ObjectInfo, what: string, changes: string[]) {
  return storeError('damaged', `object ${info.key} (stage id ${info.id}) changed on disk since it was committed: ${what}`, {
    details: { key: info.key, id: info.id, changes },
    hint: 'it is dropped and rebuilt; `osbuild store verify` checks every object in full',
  });
}

async function readManifest(layout: Layout, info: ObjectInfo) {
  try {
    const text = await readFile(objectFiles(objectDir(layout, info.key)).manifest, 'utf8');
    if (digestOf(text) !== info.manifest) return null;
    return parseManifest(text);
  } catch {
    return null;
  }
}

export type VerifyStatus =
  /** Content, metadata and seal match. */
  | 'ok'
  /** Content and metadata match the manifest, only inode numbers/ctimes differ (a copied store): re-sealable. */
  | 'resealed'
  | 'damaged'
  /** An object of an older format, without digests: cannot be verified. */
  | 'unsealed'
  /** object.info unreadable or a layer below it missing/damaged. */
  | 'broken';

export interface VerifyReport {
  readonly key: string;
  readonly id: string | null;
  readonly status: VerifyStatus;
  readonly problems: readonly string[];
  /** --repair: dropped (damaged, unsealed, broken) or re-sealed. */
  readonly repaired: boolean;
}

/** Full check of one object's own layer: every file's content against the manifest. */
export async function verifyObject(layout: Layout, key: string): Promise<Omit<VerifyReport, 'repaired'>> {
  let info: ObjectInfo | null;
  try {
    info = await readObjectInfo(layout, key);
  } catch (error) {
    return { key, id: null, status: 'broken', problems: [`object.info cannot be read: ${(error as Error).message}`] };
  }
  if (info === null) return { key, id: null, status: 'broken', problems: ['object.info is missing or not valid'] };
  if (info.seal === null || info.manifest === null) {
    return { key, id: info.id, status: 'unsealed', problems: ['committed by an older osbuild-ts without digests: cannot be verified'] };
  }
  if (info.lower !== null && (await readObjectInfo(layout, info.lower).catch(() => null)) === null) {
    return { key, id: info.id, status: 'broken', problems: [`the object below it (${info.lower}) is missing or broken`] };
  }
  let text: string;
  try {
    text = await readFile(objectFiles(objectDir(layout, key)).manifest, 'utf8');
  } catch (error) {
    return { key, id: info.id, status: 'damaged', problems: [`layer.manifest cannot be read (${errnoOf(error) ?? String(error)})`] };
  }
  const recorded = digestOf(text) === info.manifest ? parseManifest(text) : null;
  if (recorded === null) return { key, id: info.id, status: 'damaged', problems: ['layer.manifest does not match its digest'] };
  const dir = layerDir(layout, key);
  let entries;
  let hashes;
  try {
    entries = (await scanLayers([dir])).get(dir)!;
    hashes = await hashFiles(dir, entries, contentsOf(recorded));
  } catch (error) {
    if (isStoreError(error, 'damaged')) return { key, id: info.id, status: 'damaged', problems: [error.message] };
    throw error;
  }
  const problems = describeChanges(recorded, entries, hashes, 10);
  if (problems.length > 0) return { key, id: info.id, status: 'damaged', problems };
  if (sealOf(entries) !== info.seal) return { key, id: info.id, status: 'resealed', problems: ['inode numbers or change times differ (a copied store?); content is intact'] };
  return { key, id: info.id, status: 'ok', problems: [] };
}

/** Writes a new seal for an object whose content was verified intact. */
export async function reseal(ctx: StoreContext, key: string): Promise<void> {
  const info = await readObjectInfo(ctx.layout, key);
  if (info === null) return;
  const dir = layerDir(ctx.layout, key);
  const entries = (await scanLayers([dir])).get(dir)!;
  const files = objectFiles(objectDir(ctx.layout, key));
  const tmp = join(objectDir(ctx.layout, key), `.tmp-${ctx.run.nextName()}`);
  await writeFile(tmp, serializeInfo({ ...info, seal: sealOf(entries) }, ctx.bootId));
  await rename(tmp, files.info);
  ctx.holds.forget(key);
}

/**
 * Takes a damaged (or broken) object out of the store: objects/<key> is
 * renamed into tmp/ at once (invisible to every build from then on), and
 * deleted now if no live run still has it mounted (we get its object.lock
 * exclusively), else by whoever finds it unlocked later (run end, recovery).
 * Objects that stack on it become broken links and are rebuilt in turn.
 */
export async function dropObject(ctx: StoreContext, key: string): Promise<boolean> {
  const trash = join(ctx.layout.tmp, ctx.run.nextName());
  ctx.holds.forget(key);
  try {
    await rename(objectDir(ctx.layout, key), trash);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return false;
    throw error;
  }
  const lock = tryLockFile(join(trash, 'object.lock'), 'exclusive', { create: false });
  const unused = lock !== null || !(await exists(join(trash, 'object.lock')));
  try {
    if (unused) await removeTree(trash);
  } finally {
    lock?.release();
  }
  return true;
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null)) !== null;
}

/** Path → recorded content digest of a manifest's regular files. */
export const contentsOf = (manifest: readonly ManifestEntry[]): Map<string, string> =>
  new Map(manifest.filter((e) => e.type === 'f').map((e) => [e.path, e.content]));

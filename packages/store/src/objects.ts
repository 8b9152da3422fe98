/**
 * Committed objects on disk: `objects/<key>/{object.info, object.lock,
 * pinned?, metadata.json?, layer/}`. An object becomes visible only by the
 * rename of a complete directory (commit.ts), so a readable object.info with
 * our format marker is the whole validity test.
 */
import { readFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoOf, storeError } from './errors.js';
import { checkKey, objectDir, type Layout } from './layout.js';

/**
 * v2 adds `seal` and `manifest` (seal.ts). A v1 object (no digest) is still
 * read, with both null: it is never trusted as a layer (the engine drops and
 * rebuilds it on first use; `store verify` reports it as unsealed).
 */
export const OBJECT_FORMAT = 'osbuild-ts.layer.v2';
const OLD_FORMATS = new Set(['osbuild-ts.layer.v1']);

export interface ObjectInfo {
  /** The cache key the object is stored under. */
  readonly key: string;
  /** osbuild's object id (the stage id). */
  readonly id: string;
  /** Cache key of the previous stage's object, or null for a pipeline's first stage. */
  readonly parent: string | null;
  /**
   * The object whose merged tree lies below this layer: the parent, or null
   * when the layer is complete by itself (a first stage, or a flattened one).
   */
  readonly lower: string | null;
  /** Layers in this object's stack (1 for a complete layer). */
  readonly depth: number;
  /** Plugin fingerprints of the chain, as the caller gave them (JSON). */
  readonly plugins: readonly unknown[];
  /** Unix time (seconds) when building this object started. */
  readonly created: number;
  /** Σ st_blocks×512 of this object's own layer. */
  readonly size: number;
  /** Digest of the layer's metadata walk at commit (seal.ts); null: an object of an older format. */
  readonly seal: string | null;
  /** sha256 of layer.manifest (per-file content digests); null: an older format. */
  readonly manifest: string | null;
  /**
   * An upper bound (Unix seconds, floored) on the mtime of every entry of
   * this object's merged tree (its whole stack), recorded at commit; absent
   * in objects of stores made before it was recorded, and when a layer
   * below had none. Lets the source-epoch clamp of a stage on top walk only
   * that stage's own layer when nothing below can be at or after its
   * `since` (engine clamp-mtimes.ts). Not part of any id, key or seal.
   */
  readonly mtimeBound?: number;
  /**
   * How many entries the layer's walk met at commit (the root included);
   * absent in objects made before it was recorded. Only picks how a seal
   * check walks the layer (integrity.ts checkStack): a layer known to be
   * larger than the walk in this process takes is handed to `find` at
   * once. Not part of any id, key or seal.
   */
  readonly entries?: number;
  /**
   * The stages that ran on this object's layer before the one it is stored
   * under, when the engine built several stages on one layer (a pipeline's
   * image part, from its first stage with devices or mounts on; see the
   * engine's README): their keys, object ids and
   * metadata, in order. Their keys are not stored objects; a later build
   * reads them here to report those stages as cached. Absent when the
   * layer holds one stage (and in stores made before it was recorded).
   */
  readonly chain?: readonly ChainLink[];
}

/** A stage whose changes are in a later stage's layer (ObjectInfo.chain). */
export interface ChainLink {
  readonly key: string;
  readonly id: string;
  /** Its metadata document, or null. */
  readonly metadata: unknown;
}

function chainOf(value: unknown): ChainLink[] | null {
  if (!Array.isArray(value)) return null;
  const links: ChainLink[] = [];
  for (const link of value as unknown[]) {
    if (typeof link !== 'object' || link === null) return null;
    const { key, id, metadata } = link as Record<string, unknown>;
    if (typeof key !== 'string' || typeof id !== 'string') return null;
    links.push({ key, id, metadata: metadata ?? null });
  }
  return links;
}

export interface ObjectEntry extends ObjectInfo {
  readonly pinned: boolean;
  /** When the object was last used (ms since the epoch): the mtime of its object.lock. */
  readonly lastUsed: number;
}

export const objectFiles = (dir: string) => ({
  info: join(dir, 'object.info'),
  lock: join(dir, 'object.lock'),
  pinned: join(dir, 'pinned'),
  metadata: join(dir, 'metadata.json'),
  manifest: join(dir, 'layer.manifest'),
  layer: join(dir, 'layer'),
});

/** An object's layer directory: what a stack's overlay mount lists per layer, without objectFiles' other paths. */
export const layerDir = (layout: Layout, key: string) => join(layout.objects, key, 'layer');

/** The `chain` field of a new object.info (commit or import): keys checked, metadata null when absent; nothing for an empty chain. */
export function chainField(links: readonly ChainLink[] | undefined): { chain?: ChainLink[] } {
  return links === undefined || links.length === 0 ? {} : { chain: links.map((l) => ({ key: checkKey(l.key), id: l.id, metadata: l.metadata ?? null })) };
}

export function serializeInfo(info: ObjectInfo, bootId: string): string {
  return `${JSON.stringify({ format: OBJECT_FORMAT, ...info, 'creation-boot-id': bootId })}\n`;
}

function parseInfo(text: string, key: string): ObjectInfo | null {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
  const keyOrNull = (v: unknown) => v === null || typeof v === 'string';
  const sealed = typeof raw === 'object' && raw !== null && raw['format'] === OBJECT_FORMAT;
  if (
    typeof raw !== 'object' ||
    raw === null ||
    !(sealed || OLD_FORMATS.has(raw['format'] as string)) ||
    (sealed && (typeof raw['seal'] !== 'string' || typeof raw['manifest'] !== 'string')) ||
    raw['key'] !== key ||
    typeof raw['id'] !== 'string' ||
    !keyOrNull(raw['parent']) ||
    !keyOrNull(raw['lower']) ||
    typeof raw['depth'] !== 'number' ||
    !Array.isArray(raw['plugins']) ||
    typeof raw['created'] !== 'number' ||
    typeof raw['size'] !== 'number'
  ) {
    return null;
  }
  const chain = raw['chain'] === undefined ? null : chainOf(raw['chain']);
  if (raw['chain'] !== undefined && chain === null) return null;
  return {
    key,
    id: raw['id'],
    parent: raw['parent'] as string | null,
    lower: raw['lower'] as string | null,
    depth: raw['depth'],
    plugins: raw['plugins'] as unknown[],
    created: raw['created'],
    size: raw['size'],
    seal: sealed ? (raw['seal'] as string) : null,
    manifest: sealed ? (raw['manifest'] as string) : null,
    ...(typeof raw['mtimeBound'] === 'number' && Number.isFinite(raw['mtimeBound']) ? { mtimeBound: raw['mtimeBound'] } : {}),
    ...(typeof raw['entries'] === 'number' && Number.isSafeInteger(raw['entries']) && raw['entries'] > 0 ? { entries: raw['entries'] } : {}),
    ...(chain === null || chain.length === 0 ? {} : { chain }),
  };
}

/** The object's info, or null when it is absent or not one of ours (an upstream osbuild object, debris). */
export async function readObjectInfo(layout: Layout, key: string): Promise<ObjectInfo | null> {
  return readObjectInfoSync(layout, key);
}

/**
 * Synchronous on purpose: info files are a few hundred bytes, and a stack
 * walk reads one per layer; a sync read costs ~10 µs, an async one several
 * thread-pool round trips.
 */
export function readObjectInfoSync(layout: Layout, key: string): ObjectInfo | null {
  try {
    return parseInfo(readFileSync(objectFiles(objectDir(layout, key)).info, 'utf8'), key);
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw error;
  }
}

/** Keys of the entries in objects/ that look like keys; validity is checked by readObjectInfo. */
export async function listKeys(layout: Layout): Promise<string[]> {
  const names = await readdir(layout.objects);
  return names.filter((name) => /^[0-9a-f]{8,128}$/.test(name));
}

export async function readEntry(layout: Layout, key: string): Promise<ObjectEntry | null> {
  const info = await readObjectInfo(layout, key);
  if (info === null) return null;
  const files = objectFiles(objectDir(layout, key));
  const [lock, pinned] = await Promise.all([statOrNull(files.lock), statOrNull(files.pinned)]);
  return { ...info, pinned: pinned !== null, lastUsed: lock?.mtimeMs ?? 0 };
}

async function statOrNull(path: string) {
  try {
    return await stat(path);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return null;
    throw error;
  }
}

/**
 * The keys whose layers make up `key`'s tree, newest first. `known` gives
 * the stack of a key already resolved, so a stage on top of a held stack
 * reads one object.info, not one per layer (a build of n stages would read
 * n²/2). Throws `missing`
 * when a link of the chain is gone (which eviction never causes for an
 * object it keeps: it removes descendants first).
 */
export function resolveStack(
  layout: Layout,
  key: string,
  known: (key: string) => readonly ObjectInfo[] | undefined = () => undefined,
): ObjectInfo[] {
  const stack: ObjectInfo[] = [];
  for (let next: string | null = key; next !== null; ) {
    // `known`: the stack below a key the caller already resolved and keeps unchanged (held); not read again.
    const below = known(next);
    if (below !== undefined) {
      if (stack.length + below.length > 1024) throw storeError('layout', `object ${key} has a layer chain that does not end`);
      return stack.concat(below);
    }
    const info = readObjectInfoSync(layout, next);
    if (info === null) {
      throw storeError('missing', `object ${next} is not in the store${next === key ? '' : ` (needed below ${key})`}`, {
        details: { key: next },
      });
    }
    stack.push(info);
    if (stack.length > 1024) throw storeError('layout', `object ${key} has a layer chain that does not end`);
    next = info.lower;
  }
  return stack;
}

/** Synchronous for the reason readObjectInfoSync is: a warm build reads one per cached stage. */
export async function readMetadata(layout: Layout, key: string): Promise<unknown> {
  try {
    return JSON.parse(readFileSync(objectFiles(objectDir(layout, key)).metadata, 'utf8')) as unknown;
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return null;
    throw error;
  }
}

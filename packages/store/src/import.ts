/**
 * Importing an object built elsewhere (a remote cache): the caller fills a
 * fresh layer directory (e.g. by extracting an archive), and the store seals
 * it, compares it with the manifest the object had where it was built, and
 * publishes it with the same single rename as a local commit. Nothing is
 * visible under objects/ until then: a process killed half-way leaves only
 * its stage/<run>-<n> directory, which the next open removes.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StoreContext } from './context.js';
import { storeError } from './errors.js';
import { diskUsage, removeTree } from './files.js';
import type { Hold } from './hold.js';
import { checkKey } from './layout.js';
import { lockFile, tryLockFile, type FileLock } from './lock.js';
import { chainField, objectFiles, readObjectInfo, serializeInfo, type ChainLink, type ObjectInfo } from './objects.js';
import { describeChanges, digestOf, parseManifest, type ManifestEntry } from './seal.js';
import { contentsOf, sealLayer } from './integrity.js';
import { boundOf, publish } from './commit.js';
import { unlink } from 'node:fs/promises';

const withBound = (mtimeBound: number | null) => (mtimeBound === null ? {} : { mtimeBound });

export interface ImportSpec {
  /** osbuild's object id (stage id). */
  id: string;
  parent: string | null;
  /** The object this layer lies on (must be in the store when `fill` returns), or null for a complete layer. */
  lower: string | null;
  plugins: readonly unknown[];
  created: number;
  metadata?: unknown;
  /** The earlier stages the layer holds (ObjectInfo.chain), as recorded where it was built. */
  chain?: readonly ChainLink[];
  pin?: boolean;
  /**
   * The layer.manifest text the object had when it was committed where it
   * was built: the imported layer must match it entry for entry (paths,
   * types, modes, owners, sizes, mtimes, file contents), except the sizes
   * of directories (see `withoutDirectorySize`).
   */
  manifestText: string;
}

/** What `fill` may tell the import about the files it wrote. */
export interface FillResult {
  /**
   * sha256 (hex) of regular files' content by path in the layer, taken from
   * the data as it was written (an archive being extracted): those files are
   * not read back to make the layer's manifest. Metadata (types, modes,
   * owners, sizes, mtimes) is always read from the layer itself.
   */
  hashes?: ReadonlyMap<string, string>;
}

export type ImportResult = { imported: true; hold: Hold } | { imported: false; hold: Hold };

export async function importLayer(
  ctx: StoreContext,
  key: string,
  spec: ImportSpec,
  fill: (layerDir: string) => Promise<void | FillResult>,
  options: { signal?: AbortSignal } = {},
): Promise<ImportResult> {
  checkKey(key);
  if (spec.lower !== null) checkKey(spec.lower);
  if (spec.parent !== null) checkKey(spec.parent);
  const recorded = parseManifest(spec.manifestText);
  if (recorded === null) throw storeError('usage', `the manifest given for object ${key} is not a layer manifest`);
  const { layout, run } = ctx;
  const buildLockPath = join(layout.locks, `build-${key}`);
  const buildLock = await lockFile(buildLockPath, 'exclusive', { unlinkable: true, signal: options.signal });
  if (buildLock === null) throw storeError('layout', `cannot lock ${buildLockPath}`);
  const stageDir = join(layout.stage, run.nextName());
  let lowerHold: Hold | undefined;
  try {
    if ((await readObjectInfo(layout, key)) !== null) {
      try {
        return { imported: false, hold: await ctx.holds.hold(key) };
      } catch {
        // Evicted or damaged meanwhile: import it.
      }
    }
    const obj = join(stageDir, 'obj');
    const files = objectFiles(obj);
    await mkdir(files.layer, { recursive: true });
    const filled = await fill(files.layer);
    lowerHold = spec.lower === null ? undefined : await ctx.holds.hold(spec.lower);
    const depth = lowerHold === undefined ? 1 : lowerHold.stack[0]!.depth + 1;
    const sealed = await sealLayer(files.layer, { recorded: contentsOf(recorded), known: filled?.hashes });
    const now = parseManifest(sealed.manifestText) ?? [];
    if (comparable(now) !== comparable(recorded)) {
      const changes = describeChanges(
        recorded.map(withoutDirectorySize),
        now.map((e) => ({ path: e.path, type: e.type, stable: withoutDirectorySize(e).stable, volatile: '', link: '' })),
        new Map(now.filter((e) => e.type === 'f').map((e) => [e.path, e.content])),
      );
      throw storeError('damaged', `the imported layer of object ${key} differs from the object as it was built: ${changes.join('; ') || 'entries differ'}`, {
        details: { key, changes },
      });
    }
    await writeFile(files.manifest, sealed.manifestText);
    const objectInfo: ObjectInfo = {
      key,
      id: spec.id,
      parent: spec.parent,
      lower: spec.lower,
      depth,
      plugins: [...spec.plugins],
      created: spec.created,
      size: sealed.bytes ?? (await diskUsage(files.layer)),
      seal: sealed.seal,
      manifest: digestOf(sealed.manifestText),
      entries: sealed.entries,
      ...withBound(boundOf(sealed.maxMtime, lowerHold === undefined ? Number.NEGATIVE_INFINITY : (lowerHold.stack[0]!.mtimeBound ?? null))),
      ...chainField(spec.chain),
    };
    if (spec.metadata !== undefined && spec.metadata !== null) await writeFile(files.metadata, `${JSON.stringify(spec.metadata)}\n`);
    if (spec.pin === true) await writeFile(files.pinned, '');
    await writeFile(files.info, serializeInfo(objectInfo, ctx.bootId));
    const lock = tryLockFile(files.lock, 'shared') as FileLock;
    const hold = await publish(ctx, key, obj, lock);
    return { imported: true, hold };
  } finally {
    lowerHold?.release();
    await removeTree(stageDir);
    await unlink(buildLockPath).catch(() => undefined);
    buildLock.release();
  }
}

/**
 * A directory's size is the file system's own business, not the tree's: ext4
 * keeps the blocks of entries created and removed while the stage ran (dpkg
 * does that), btrfs and tmpfs count the entries there now. So the same tree
 * built on ext4 and unpacked anywhere differs in directory sizes alone; an
 * import compares everything else. The local manifest is the unpacked
 * layer's own, so `store verify` holds here afterwards.
 */
function withoutDirectorySize(entry: ManifestEntry): ManifestEntry {
  if (entry.type !== 'd') return entry;
  const fields = entry.stable.split(' ');
  fields[3] = '-';
  return { ...entry, stable: fields.join(' ') };
}

function comparable(entries: readonly ManifestEntry[]): string {
  return entries.map((e) => {
    const { path, type, stable, content } = withoutDirectorySize(e);
    return `${path}\0${type}\0${stable}\0${content}\0`;
  }).join('');
}

/**
 * Where everything lives in a store directory, and the few files every run
 * agrees on (CACHEDIR.TAG, cache.info). Layout, in the spirit of osbuild's
 * (spec 9.1), with layers instead of full trees:
 *
 *   CACHEDIR.TAG            byte-identical to osbuild's
 *   cache.info              {"version": 1, "maximum-size": <int> | "unlimited"}
 *   cache.lock              read-locked by every open store handle
 *   evict.lock              held by the one process evicting right now
 *   objects/<key>/          object.info, object.lock, pinned?, layer/
 *   stage/<run>-<n>/        a layer being built: obj/ (becomes objects/<key>), work/
 *   tmp/<run>-<n>…          scratch: objects being deleted, throwaway uppers
 *   runs/<run>.lock         write-locked for the life of run <run>
 *   runs/<run>/             that run's private tmpfs: mount points, link dirs
 *   runs/<run>.mounts       mounts the run made outside runs/<run>/ (for recovery)
 *   locks/build-<key>       per-key build mutex
 *   sources/<type>/<checksum>   identical to osbuild's source cache
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoOf, storeError } from './errors.js';
import { createFileOnce, ensureDir, writeFileAtomic } from './files.js';

export interface Layout {
  readonly root: string;
  readonly objects: string;
  readonly stage: string;
  readonly tmp: string;
  readonly runs: string;
  readonly locks: string;
  readonly sources: string;
  readonly cacheInfo: string;
  readonly cacheLock: string;
  readonly evictLock: string;
}

export function layoutOf(root: string): Layout {
  return {
    root,
    objects: join(root, 'objects'),
    stage: join(root, 'stage'),
    tmp: join(root, 'tmp'),
    runs: join(root, 'runs'),
    locks: join(root, 'locks'),
    sources: join(root, 'sources'),
    cacheInfo: join(root, 'cache.info'),
    cacheLock: join(root, 'cache.lock'),
    evictLock: join(root, 'evict.lock'),
  };
}

export const CACHEDIR_TAG =
  'Signature: 8a477f597d28d172789f06886806bc55\n' +
  '# This is a cache directory tag created by osbuild (see https://bford.info/cachedir/)\n';

export const CACHE_INFO_VERSION = 1;

export type MaximumSize = number | 'unlimited';

/** Keys name directories: only lower-case hex, so no key can escape objects/. */
const KEY_PATTERN = /^[0-9a-f]{8,128}$/;

export function checkKey(key: string): string {
  if (!KEY_PATTERN.test(key)) {
    throw storeError('usage', `not a cache key (lower-case hex, 8–128 digits): ${JSON.stringify(key)}`);
  }
  return key;
}

export function objectDir(layout: Layout, key: string): string {
  return join(layout.objects, key);
}

/** Creates what is missing; safe to run concurrently with live runs and other creators. */
export async function createScaffolding(layout: Layout): Promise<void> {
  for (const dir of [layout.objects, layout.stage, layout.tmp, layout.runs, layout.locks, layout.sources]) {
    await ensureDir(dir);
  }
  await createFileOnce(join(layout.root, 'CACHEDIR.TAG'), CACHEDIR_TAG);
  // Unlike osbuild (default 0: cache nothing), a new store caches every stage.
  await createFileOnce(
    layout.cacheInfo,
    JSON.stringify({ version: CACHE_INFO_VERSION, 'maximum-size': 'unlimited' }),
  );
}

interface CacheInfo {
  version?: unknown;
  'maximum-size'?: unknown;
  [other: string]: unknown;
}

async function readCacheInfo(layout: Layout): Promise<CacheInfo> {
  let text: string;
  try {
    text = await readFile(layout.cacheInfo, 'utf8');
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return {};
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw storeError('layout', `${layout.cacheInfo} is not JSON`, { cause });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw storeError('layout', `${layout.cacheInfo} is not a JSON object`);
  }
  const info = parsed as CacheInfo;
  if (info.version !== undefined && info.version !== CACHE_INFO_VERSION) {
    throw storeError('layout', `${layout.cacheInfo} has version ${String(info.version)}; this store supports ${CACHE_INFO_VERSION}`);
  }
  return info;
}

/** The store's size bound; a missing entry means unlimited (our default, unlike osbuild's 0). */
export async function readMaximumSize(layout: Layout): Promise<MaximumSize> {
  const value = (await readCacheInfo(layout))['maximum-size'];
  if (value === undefined || value === 'unlimited') return 'unlimited';
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw storeError('layout', `${layout.cacheInfo}: maximum-size must be a non-negative integer or "unlimited"`);
}

/** Persists the bound (what `--cache-max-size` does), keeping other keys. */
export async function writeMaximumSize(layout: Layout, size: MaximumSize): Promise<void> {
  if (size !== 'unlimited' && !(Number.isSafeInteger(size) && size >= 0)) {
    throw storeError('usage', `maximum size must be a non-negative integer or "unlimited", got ${String(size)}`);
  }
  const info = await readCacheInfo(layout);
  await writeFileAtomic(
    layout.cacheInfo,
    JSON.stringify({ ...info, version: CACHE_INFO_VERSION, 'maximum-size': size }),
  );
}

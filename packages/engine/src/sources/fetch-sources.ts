/**
 * Fetches every source item of a manifest into the store's source cache
 * before anything is built (spec 5.2: even when nothing is built). Items
 * already in the cache are reported `cached` and not touched; the rest go
 * to the source's plugin, run on the host. The engine trusts only what
 * appears in the cache: a plugin's word that an item succeeded counts when
 * the file is there.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { formatJsonPath, OsbuildError, toPlain, type Manifest, type PluginRecord, type Registry, type SourceSpec } from '@osbuild-ts/core';
import { fileSystemOf, isNoSpace, type Store } from '@osbuild-ts/store';
import { statfsSync } from 'node:fs';
import type { SourceEventSink } from './events.js';
import type { ItemResult } from './item-result.js';
import { itemUrl } from './item-url.js';
import type { SourceOverrides } from './overrides.js';
import { runSourcePlugin } from './run-source-plugin.js';
import type { RemoteObjects } from '../remote.js';

export interface FetchSourcesOptions {
  /** The overrides file's content (`--source-overrides`); each plugin gets its own type's section. */
  overrides?: SourceOverrides;
  /** `--offline`: fail before running anything if an item that needs the network is missing. */
  offline?: boolean;
  /** Items one plugin may fetch at once (default 8). */
  parallel?: number;
  onEvent?: SourceEventSink;
  signal?: AbortSignal;
  /** A shared remote cache: missing items are pulled from it first, downloaded ones pushed to it. */
  remote?: Pick<RemoteObjects, 'pullSources' | 'pushSources'>;
}

export interface FetchSourcesResult {
  success: boolean;
  /** Per source type, in manifest order: one result per item, in the manifest's item order. */
  results: Map<string, ItemResult[]>;
}

/** Where each source type's content lands (`<store>/sources/<content type>/`). */
const CONTENT_TYPES: ReadonlyMap<string, string> = new Map([
  ['org.osbuild.curl', 'org.osbuild.files'],
  ['org.osbuild.inline', 'org.osbuild.files'],
  ['org.osbuild.librepo', 'org.osbuild.files'],
  ['org.osbuild.ostree', 'org.osbuild.ostree'],
]);

/** Sources whose items carry their own bytes: `--offline` does not stop them. */
const SELF_CONTAINED: ReadonlySet<string> = new Set(['org.osbuild.inline']);

const CHECKSUM = /^(md5|sha1|sha256|sha384|sha512):[0-9a-f]+$/;
export const DEFAULT_PARALLEL = 8;

export function contentTypeOf(sourceType: string): string {
  return CONTENT_TYPES.get(sourceType) ?? 'org.osbuild.files';
}

export async function fetchSources(manifest: Manifest, registry: Registry, store: Store, options: FetchSourcesOptions = {}): Promise<FetchSourcesResult> {
  const emit: SourceEventSink = options.onEvent ?? (() => undefined);
  const parallel = Math.max(1, Math.floor(options.parallel ?? DEFAULT_PARALLEL));

  // Everything that can be checked without fetching, for every source, first.
  const plans: { source: SourceSpec; plugin: PluginRecord; contentType: string; missing: Set<string> }[] = [];
  for (const source of manifest.sources) {
    const plugin = registry.get('source', source.type);
    if (plugin === undefined) {
      const closest = registry.closest('source', source.type);
      throw new OsbuildError('E_PLUGIN_UNKNOWN', `${formatJsonPath(source.path)}: no installed plugin provides the source ${source.type}`, {
        hint:
          `Install a package that provides it in the project (${registry.discovery.projectDir || 'the current directory'})` +
          (closest.length > 0 ? `; installed sources with similar names: ${closest.join(', ')}` : '') +
          '.',
        details: { kind: 'source', name: source.type },
      });
    }
    const contentType = contentTypeOf(source.type);
    const missing = new Set<string>();
    for (const checksum of source.items.keys()) {
      if (!CHECKSUM.test(checksum)) {
        throw new OsbuildError('E_MANIFEST_INVALID', `${formatJsonPath(source.path)}: ${JSON.stringify(checksum)} is not a checksum (<algo>:<hex>, algo md5 sha1 sha256 sha384 sha512)`);
      }
      if (!(await store.sources.has(contentType, checksum))) missing.add(checksum);
    }
    plans.push({ source, plugin, contentType, missing });
  }

  const remote = options.remote;
  if (remote?.pullSources !== undefined) {
    for (const plan of plans) {
      if (plan.missing.size === 0) continue;
      for (const checksum of await remote.pullSources(store, plan.contentType, [...plan.missing])) plan.missing.delete(checksum);
    }
  }
  if (options.offline) failIfOffline(plans);

  const results = new Map<string, ItemResult[]>();
  const failures: { type: string; result: ItemResult }[] = [];
  for (const { source, plugin, contentType, missing } of plans) {
    const started = Date.now();
    emit({ type: 'source-start', source: source.type, items: source.items.size, cached: source.items.size - missing.size });
    const byChecksum = new Map<string, ItemResult>();
    for (const checksum of source.items.keys()) {
      if (missing.has(checksum)) continue;
      const result = { checksum, success: true, cached: true };
      byChecksum.set(checksum, result);
      emit({ type: 'source-item', source: source.type, ...result });
    }
    if (missing.size > 0) {
      const fetched = await fetchMissing(source, plugin, contentType, missing, store, options, parallel, emit);
      for (const result of fetched) byChecksum.set(result.checksum, result);
      remote?.pushSources?.(store, contentType, fetched.filter((r) => r.success && !r.cached).map((r) => r.checksum));
    }
    const ordered = [...source.items.keys()].map((checksum) => byChecksum.get(checksum)!);
    results.set(source.type, ordered);
    const failed = ordered.filter((r) => !r.success);
    failures.push(...failed.map((result) => ({ type: source.type, result })));
    emit({ type: 'source-end', source: source.type, success: failed.length === 0, durationMs: Date.now() - started });
  }

  if (failures.length > 0) throw noSpaceForSources(store, failures) ?? fetchFailed(failures, results);
  return { success: true, results };
}

async function fetchMissing(
  source: SourceSpec,
  plugin: PluginRecord,
  contentType: string,
  missing: Set<string>,
  store: Store,
  options: FetchSourcesOptions,
  parallel: number,
  emit: SourceEventSink,
): Promise<ItemResult[]> {
  const cache = join(store.sources.dir, contentType);
  await mkdir(cache, { recursive: true });
  // Named so that the store removes it with this run's debris if the process dies.
  const tmp = join(cache, `.tmp-${store.runId}-fetch-${randomBytes(4).toString('hex')}`);
  await mkdir(tmp);
  const items: Record<string, unknown> = {};
  for (const checksum of missing) items[checksum] = toPlain(source.items.get(checksum)!);

  const reported = new Map<string, ItemResult>();
  const bytes = new Map<string, number>();
  let received = 0;
  const type = source.type;
  try {
    const run = await runSourcePlugin(
      plugin,
      {
        apiVersion: 1,
        items,
        options: toPlain(source.options),
        overrides: options.overrides?.[type] ?? {},
        cache,
        tmp,
        parallel,
        offline: options.offline ?? false,
      },
      {
        progress(checksum, count, total) {
          if (!missing.has(checksum)) return;
          received += count - (bytes.get(checksum) ?? 0);
          bytes.set(checksum, count);
          emit({ type: 'source-progress', source: type, checksum, bytes: count, ...(total === undefined ? {} : { total }), done: reported.size, fetching: missing.size, received });
        },
        item(message) {
          if (!missing.has(message.checksum) || reported.has(message.checksum)) return;
          const result: ItemResult = {
            checksum: message.checksum,
            success: message.success,
            cached: message.cached === true,
            ...(message.error !== undefined ? { error: String(message.error) } : {}),
            ...(message.reason !== undefined ? { reason: String(message.reason) } : {}),
            ...(message.url !== undefined ? { url: String(message.url) } : {}),
            ...(message.actual !== undefined ? { actual: String(message.actual) } : {}),
          };
          reported.set(message.checksum, result);
        },
        log: (line) => emit({ type: 'source-log', source: type, line }),
      },
      options.signal,
    );

    const results: ItemResult[] = [];
    for (const checksum of missing) {
      let result = reported.get(checksum);
      const present = await store.sources.has(contentType, checksum);
      if (result?.success && !present) {
        result = { ...result, success: false, reason: 'fetch', error: `${plugin.packageName} reported success, but ${checksum} is not in the source cache` };
      } else if (result === undefined) {
        const why = run.errors[0] ?? (run.signal ? `killed by ${run.signal}` : `exited with status ${run.exitCode}`) + (run.tail.length ? `: ${run.tail.at(-1)}` : '');
        result = { checksum, success: false, cached: false, reason: 'fetch', error: `${plugin.packageName} did not fetch it (${why})` };
      }
      const url = itemUrl(source.items.get(checksum), source.options);
      if (!result.success && result.url === undefined && url !== null) result = { ...result, url };
      results.push(result);
      emit({
        type: 'source-item',
        source: type,
        checksum,
        success: result.success,
        cached: result.cached,
        ...(result.error !== undefined ? { error: result.error } : {}),
        ...(result.url !== undefined ? { url: result.url } : {}),
      });
    }
    return results;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

function failIfOffline(plans: { source: SourceSpec; missing: Set<string> }[]): void {
  const missing: { type: string; checksum: string; url: string | null }[] = [];
  for (const { source, missing: checksums } of plans) {
    if (SELF_CONTAINED.has(source.type)) continue;
    for (const checksum of checksums) missing.push({ type: source.type, checksum, url: itemUrl(source.items.get(checksum), source.options) });
  }
  if (missing.length === 0) return;
  const lines = missing.map((m) => `  ${m.type} ${m.checksum}${m.url === null ? '' : ` ${m.url}`}`);
  throw new OsbuildError(
    'E_SOURCE_FETCH',
    `--offline: ${missing.length} source item${missing.length === 1 ? ' is' : 's are'} not in the store's source cache:\n${lines.join('\n')}`,
    {
      hint: 'Run once without --offline (or with --source-overrides pointing at a local mirror) to fetch them into this store.',
      details: { offline: true, missing },
    },
  );
}

function fetchFailed(failures: { type: string; result: ItemResult }[], results: Map<string, ItemResult[]>): OsbuildError {
  const { type, result: first } = failures[0]!;
  const verify = first.reason === 'verify';
  const more = failures.length > 1 ? `\n(${failures.length - 1} more item${failures.length === 2 ? '' : 's'} failed: ${failures.slice(1, 6).map((f) => f.result.checksum).join(', ')}${failures.length > 6 ? ', …' : ''})` : '';
  const error = first.error ?? 'failed';
  const from = first.url === undefined || error.includes(first.url) ? '' : ` (${first.url})`;
  return new OsbuildError(verify ? 'E_SOURCE_VERIFY' : 'E_SOURCE_FETCH', `source ${type}: item ${first.checksum}: ${error}${from}${more}`, {
    hint: verify
      ? 'The bytes received are not the ones the manifest names: that server holds a different or tampered file. Point the item at another mirror (--source-overrides) or fix the manifest.'
      : 'Check the URL and the network, or point the source at a reachable mirror with --source-overrides.',
    details: {
      source: { type, output: error },
      checksum: first.checksum,
      ...(first.url === undefined ? {} : { url: first.url }),
      ...(verify ? { expected: first.checksum, actual: first.actual } : {}),
      failures: failures.map((f) => ({ type: f.type, ...f.result })),
      results,
    },
  });
}

/**
 * A download that failed because the store's file system is full says so
 * (curl only says "Failure writing output to destination"): the error names
 * the file system, not the URL or the network.
 */
function noSpaceForSources(store: Store, failures: { type: string; result: ItemResult }[]): OsbuildError | null {
  const dir = store.sources.dir;
  let full = failures.some((f) => isNoSpace(f.result.error ?? ''));
  try {
    const s = statfsSync(dir);
    // Less than 1 MiB (or 0.1 %) left: whatever the tool said, the disk is why.
    full ||= s.bavail * s.bsize < Math.max(2 ** 20, s.blocks * s.bsize * 0.001);
  } catch {
    // cannot tell
  }
  if (!full) return null;
  const { type, result } = failures[0]!;
  return new OsbuildError('E_SOURCE_FETCH', `source ${type}: item ${result.checksum}: no space left on the file system ${fileSystemOf(dir)} while writing the download into the store's source cache (${dir})`, {
    hint: 'Free space on that file system, or use a --store on a larger one; the download itself was not at fault.',
    details: { source: { type, output: result.error ?? '' }, checksum: result.checksum, noSpace: true, failures: failures.map((f) => ({ type: f.type, ...f.result })) },
  });
}

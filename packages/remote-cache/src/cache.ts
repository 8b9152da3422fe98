/**
 * The remote cache the engine talks to: each store object is an OCI
 * artifact tagged by its cache key (see README.md for the format). Lookups
 * and pulls happen when the engine misses locally; pushes run in the
 * background while the build goes on. Nothing here fails a build: every
 * problem becomes a warning, and after the registry is found unreachable
 * it is not asked again in this run.
 */
import { createHash } from 'node:crypto';
import { readFile, rm, stat } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { ChainLink, Store } from '@osbuild-ts/store';
import { findCredentials } from './auth.js';
import { parseCacheLocation, RemoteCacheUsageError } from './location.js';
import { packLayer, unpackLayer } from './pack.js';
import { DigestMismatch, OCI_MANIFEST, RegistryClient, RegistryError, type OciManifest } from './registry.js';

export const ARTIFACT_TYPE = 'application/vnd.osbuild-ts.object.v1';
export const CONFIG_TYPE = 'application/vnd.osbuild-ts.object.config.v1+json';
export const LAYER_TYPE = 'application/vnd.osbuild-ts.layer.v1.tar+zstd';
export const MANIFEST_TYPE = 'application/vnd.osbuild-ts.layer-manifest.v1';
export const SOURCE_ARTIFACT_TYPE = 'application/vnd.osbuild-ts.source.v1';
const EMPTY_CONFIG = { mediaType: 'application/vnd.oci.empty.v1+json', digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a', size: 2 };
const sourceTag = (checksum: string) => `source-${checksum.slice('sha256:'.length)}`;
const shareable = (checksum: string) => /^sha256:[0-9a-f]{64}$/.test(checksum);
const ANNOTATION = 'io.github.osbuild-ts';

export type RemoteCacheMode = 'read' | 'write' | 'readwrite';

export interface RemoteCacheOptions {
  /** `https://HOST[:PORT]/REPOSITORY` (`http://` for loopback, or with allowHttp). */
  url: string;
  mode?: RemoteCacheMode;
  /** A PEM file of CAs to trust for the registry (`--remote-cache-ca`). */
  caFile?: string;
  allowHttp?: boolean;
  /** Blob transfers at once (default 4). */
  parallel?: number;
  retries?: number;
  timeoutMs?: number;
  /** Until the registry first answers: how long to wait before skipping it for the rest of the build (default 4 s). */
  probeTimeoutMs?: number;
  /** Auth files to search instead of docker's and podman's usual ones. */
  authFiles?: string[];
  onEvent?: (event: RemoteEvent) => void;
}

export type RemoteEvent =
  | { type: 'remote'; action: 'pulled' | 'pushed'; key: string; bytes: number; durationMs: number }
  | { type: 'remote'; action: 'warning'; key?: string; message: string };

/** What the engine needs (the engine's RemoteObjects interface). */
export interface RemoteCache {
  readonly mode: RemoteCacheMode;
  readonly url: string;
  /** Looks `keys` (a pipeline's missing stages, in order) up and pulls the deepest found with what it stacks on. Keys imported. Never throws. */
  pull(store: Store, keys: readonly string[]): Promise<string[]>;
  /** Starts pushing a committed object (and what it stacks on) in the background. Resolves true once it was uploaded; never rejects. */
  push(store: Store, key: string): Promise<boolean>;
  /**
   * Source items (downloads), shared by checksum: a sha256 item is a blob
   * whose digest is its checksum, kept by a manifest tagged `source-<hex>`.
   * Pulls the ones the registry has into the store's source cache; the
   * checksums pulled. Never throws.
   */
  pullSources(store: Store, contentType: string, checksums: readonly string[]): Promise<string[]>;
  /** Pushes source items of the store's cache in the background. */
  pushSources(store: Store, contentType: string, checksums: readonly string[]): void;
  /** Waits for every push started so far. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

interface ObjectConfig {
  format: 'osbuild-ts.remote-object.v1';
  key: string;
  id: string;
  parent: string | null;
  lower: string | null;
  plugins: unknown[];
  created: number;
  size: number;
  metadata: unknown;
  /** The earlier stages the layer holds (the store's ObjectInfo.chain); absent when none. */
  chain?: ChainLink[];
}

class Limit {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly max: number) {}
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

class NotInRegistry extends Error {}

export async function openRemoteCache(options: RemoteCacheOptions): Promise<RemoteCache> {
  const mode = options.mode ?? 'readwrite';
  if (!['read', 'write', 'readwrite'].includes(mode)) throw new RemoteCacheUsageError(`--remote-cache-mode: expected read, write or readwrite, got ${JSON.stringify(mode)}`);
  const location = parseCacheLocation(options.url, { allowInsecure: options.allowHttp === true });
  let ca: string | undefined;
  if (options.caFile !== undefined) {
    try {
      ca = await readFile(options.caFile, 'utf8');
    } catch (error) {
      throw new RemoteCacheUsageError(`--remote-cache-ca: cannot read ${options.caFile} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----')) throw new RemoteCacheUsageError(`--remote-cache-ca: ${options.caFile} holds no PEM certificate`);
  }
  const credentials = await findCredentials(location.host, options.authFiles);
  const client = new RegistryClient({
    location,
    credentials,
    ...(ca === undefined ? {} : { ca }),
    ...(options.retries === undefined ? {} : { retries: options.retries }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.probeTimeoutMs === undefined ? {} : { probeTimeoutMs: options.probeTimeoutMs }),
    connections: Math.max(4, (options.parallel ?? 4) * 2),
  });
  const emit = options.onEvent ?? (() => undefined);
  const limit = new Limit(options.parallel ?? 4);
  const canRead = mode !== 'write';
  const canWrite = mode !== 'read';
  let down: string | null = null;
  const pending = new Set<Promise<unknown>>();
  const pushes = new Map<string, Promise<boolean>>();
  /** Keys whose artifact was found corrupt: pushed again over the bad one. */
  const corrupt = new Map<string, string[]>();
  let tmpSerial = 0;

  const warn = (message: string, key?: string) => emit({ type: 'remote', action: 'warning', message, ...(key === undefined ? {} : { key }) });
  /** A registry that cannot be reached (or keeps failing) is not asked again in this run. */
  const failed = (error: unknown, what: string, key?: string) => {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof RegistryError && (error.status === null || error.status >= 500 || error.status === 401 || error.status === 403)) {
      if (down === null) {
        down = message;
        warn(`remote cache ${options.url} is unavailable (${what}: ${message}); building locally without it for the rest of this build`, key);
      }
      return;
    }
    warn(`remote cache: ${what}: ${message}`, key);
  };

  const pullObject = (store: Store, key: string, pulled: string[], inflight: Map<string, Promise<void>>): Promise<void> => {
    const known = inflight.get(key);
    if (known !== undefined) return known;
    const work = (async () => {
      const started = Date.now();
      const found = await client.getManifest(key);
      if (found === null) throw new NotInRegistry(`object ${key} is not in the remote cache`);
      const manifest = found.manifest;
      const [tree, text] = manifest.layers;
      if (manifest.config?.mediaType !== CONFIG_TYPE || tree?.mediaType !== LAYER_TYPE || text?.mediaType !== MANIFEST_TYPE) {
        throw new Error(`the artifact tagged ${key} is not an osbuild-ts object (config ${manifest.config?.mediaType ?? 'none'})`);
      }
      const config = JSON.parse((await client.blobBytes(manifest.config.digest)).toString('utf8')) as ObjectConfig;
      if (config.format !== 'osbuild-ts.remote-object.v1' || config.key !== key) throw new Error(`the artifact tagged ${key} describes object ${String(config.key)}`);
      const manifestText = (await client.blobBytes(text.digest)).toString('utf8');
      const lower = config.lower;
      const lowerReady = lower !== null && !(await store.has(lower)) ? pullObject(store, lower, pulled, inflight) : Promise.resolve();
      lowerReady.catch(() => undefined);
      let bytes = 0;
      const result = await store.importLayer(
        key,
        { id: config.id, parent: config.parent, lower, plugins: config.plugins, created: config.created, metadata: config.metadata, ...(Array.isArray(config.chain) ? { chain: config.chain } : {}), manifestText },
        async (dir) => {
          const unpacked = await limit.run(async () => {
            try {
              return await unpackLayer(await client.blobStream(tree.digest), dir, tree.digest);
            } catch (error) {
              if (error instanceof DigestMismatch) corrupt.set(key, [...(corrupt.get(key) ?? []), tree.digest]);
              throw error;
            }
          });
          bytes = unpacked.bytes;
          await lowerReady;
          return { hashes: unpacked.hashes };
        },
      );
      result.hold.release();
      if (result.imported) {
        pulled.push(key);
        emit({ type: 'remote', action: 'pulled', key, bytes, durationMs: Date.now() - started });
      }
    })();
    inflight.set(key, work);
    return work;
  };

  const pushObject = (store: Store, key: string): Promise<boolean> => {
    const known = pushes.get(key);
    if (known !== undefined) return known;
    const work = (async (): Promise<boolean> => {
      if (down !== null) return false;
      const started = Date.now();
      const hold = await store.hold(key);
      const tmp = join(store.root, 'tmp', `${store.runId}-remote-${tmpSerial++}`);
      try {
        const info = hold.stack[0]!;
        const repair = corrupt.get(key);
        if (repair === undefined && (await client.hasManifest(key))) return false;
        if (info.lower !== null && !(await pushObject(store, info.lower)) && !(await client.hasManifest(info.lower))) {
          throw new Error(`object ${info.lower} below it could not be pushed`);
        }
        const { dir, manifestText } = await store.layer(key);
        const metadata = await store.metadata(key);
        const packed = await limit.run(() => packLayer(dir, tmp));
        for (const digest of repair ?? []) {
          // The registry's copy of this blob is corrupt: deleting it lets the upload replace it (needs storage.delete.enabled).
          if (digest === packed.digest) await client.send({ method: 'DELETE', path: `/v2/${location.repository}/blobs/${digest}`, push: true, ok: [202, 404, 405] }).then((r) => r.body.dump()).catch(() => undefined);
        }
        await limit.run(() => client.uploadBlob(packed.digest, packed.size, () => createReadStream(tmp)));
        const textBytes = Buffer.from(manifestText, 'utf8');
        const textDesc = { mediaType: MANIFEST_TYPE, digest: sha256(textBytes), size: textBytes.length };
        await client.uploadBlob(textDesc.digest, textDesc.size, () => textBytes);
        const config: ObjectConfig = {
          format: 'osbuild-ts.remote-object.v1',
          key,
          id: info.id,
          parent: info.parent,
          lower: info.lower,
          plugins: [...info.plugins],
          created: info.created,
          size: info.size,
          metadata,
          ...(info.chain === undefined ? {} : { chain: [...info.chain] }),
        };
        const configBytes = Buffer.from(JSON.stringify(config), 'utf8');
        const configDesc = { mediaType: CONFIG_TYPE, digest: sha256(configBytes), size: configBytes.length };
        await client.uploadBlob(configDesc.digest, configDesc.size, () => configBytes);
        const manifest: OciManifest = {
          schemaVersion: 2,
          mediaType: OCI_MANIFEST,
          artifactType: ARTIFACT_TYPE,
          config: configDesc,
          layers: [{ mediaType: LAYER_TYPE, digest: packed.digest, size: packed.size }, textDesc],
          annotations: {
            [`${ANNOTATION}.cache-key`]: key,
            [`${ANNOTATION}.osbuild-id`]: info.id,
            [`${ANNOTATION}.lower`]: info.lower ?? '',
            [`${ANNOTATION}.size`]: String(info.size),
            [`${ANNOTATION}.plugins`]: JSON.stringify(info.plugins),
            'org.opencontainers.image.created': new Date(info.created * 1000).toISOString(),
          },
        };
        await client.putManifest(key, Buffer.from(JSON.stringify(manifest), 'utf8'));
        corrupt.delete(key);
        emit({ type: 'remote', action: 'pushed', key, bytes: packed.size, durationMs: Date.now() - started });
        return true;
      } finally {
        hold.release();
        await rm(tmp, { force: true });
      }
    })();
    pushes.set(key, work);
    return work;
  };

  return {
    mode,
    url: options.url,
    async pull(store, keys) {
      if (!canRead || down !== null || keys.length === 0) return [];
      let present: boolean[];
      try {
        present = await Promise.all(keys.map((key) => limit.run(() => client.hasManifest(key))));
      } catch (error) {
        failed(error, 'looking objects up');
        return [];
      }
      const deepest = present.lastIndexOf(true);
      if (deepest < 0) return [];
      const pulled: string[] = [];
      const inflight = new Map<string, Promise<void>>();
      try {
        await pullObject(store, keys[deepest]!, pulled, inflight);
      } catch (error) {
        // Whatever was imported before the failure stays (it checked out); the rest is built here.
        await Promise.allSettled(inflight.values());
        if (error instanceof NotInRegistry) warn(`remote cache: ${error.message} (an object above it is); building from there`, keys[deepest]);
        else failed(error, `pulling object ${keys[deepest]!}`, keys[deepest]);
      }
      return pulled;
    },
    push(store, key) {
      if (!canWrite || down !== null) return Promise.resolve(false);
      const work = pushObject(store, key).catch((error: unknown) => {
        failed(error, `pushing object ${key}`, key);
        return false;
      });
      pending.add(work);
      void work.finally(() => pending.delete(work));
      return work;
    },
    async pullSources(store, contentType, checksums) {
      const wanted = checksums.filter(shareable);
      if (!canRead || down !== null || wanted.length === 0) return [];
      const pulled: string[] = [];
      await Promise.all(
        wanted.map((checksum) =>
          limit.run(async () => {
            if (down !== null) return;
            try {
              if (!(await client.hasManifest(sourceTag(checksum)))) return;
              const started = Date.now();
              let actual = '';
              let bytes = 0;
              const added = await store.sources.add(
                contentType,
                checksum,
                async (file) => {
                  const hash = createHash('sha256');
                  const body = await client.blobStream(checksum);
                  body.on('data', (chunk: Buffer) => {
                    hash.update(chunk);
                    bytes += chunk.length;
                  });
                  await pipeline(body, createWriteStream(file));
                  actual = `sha256:${hash.digest('hex')}`;
                },
                {
                  verify: async () => {
                    if (actual !== checksum) throw new DigestMismatch(checksum, actual);
                  },
                },
              );
              if (!added.cached) {
                pulled.push(checksum);
                emit({ type: 'remote', action: 'pulled', key: checksum, bytes, durationMs: Date.now() - started });
              }
            } catch (error) {
              failed(error, `pulling source ${checksum}`);
            }
          }),
        ),
      );
      return pulled;
    },
    pushSources(store, contentType, checksums) {
      if (!canWrite || down !== null) return;
      for (const checksum of checksums.filter(shareable)) {
        const work = limit
          .run(async () => {
            if (down !== null || (await client.hasManifest(sourceTag(checksum)))) return;
            const file = store.sources.path(contentType, checksum);
            const { size } = await stat(file);
            const started = Date.now();
            await client.uploadBlob(checksum, size, () => createReadStream(file));
            await client.uploadBlob(EMPTY_CONFIG.digest, 2, () => Buffer.from('{}'));
            const manifest: OciManifest = {
              schemaVersion: 2,
              mediaType: OCI_MANIFEST,
              artifactType: SOURCE_ARTIFACT_TYPE,
              config: EMPTY_CONFIG,
              layers: [{ mediaType: 'application/octet-stream', digest: checksum, size }],
              annotations: { [`${ANNOTATION}.source-type`]: contentType, [`${ANNOTATION}.checksum`]: checksum },
            };
            await client.putManifest(sourceTag(checksum), Buffer.from(JSON.stringify(manifest), 'utf8'));
            emit({ type: 'remote', action: 'pushed', key: checksum, bytes: size, durationMs: Date.now() - started });
          })
          .catch((error: unknown) => failed(error, `pushing source ${checksum}`));
        pending.add(work);
        void work.finally(() => pending.delete(work));
      }
    },
    async flush() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    async close() {
      await client.close();
    },
  };
}

function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

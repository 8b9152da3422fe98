import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { onTestFinished } from 'vitest';
import { clearDiscoveryCache, discoverPlugins, loadManifest, parsePyJson, type Manifest, type Registry } from '@osbuild-ts/core';
import { openStore, type Store } from '@osbuild-ts/store';
import { repoRoot } from '../helpers.js';

export const sha256 = (data: Buffer | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** Bytes that differ per name, so every file has its own checksum. */
export function content(name: string, size: number): Buffer {
  const seed = createHash('sha256').update(name).digest();
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i += seed.length) seed.copy(out, i, 0, Math.min(seed.length, size - i));
  return out;
}

/** A temp project whose node_modules links the workspace's real source plugins. */
export async function sourceProject(): Promise<{ dir: string; registry: Registry }> {
  const dir = mkdtempSync(join(tmpdir(), 'engine-sources-project-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  for (const name of ['source-curl', 'source-inline']) {
    const path = join(dir, 'node_modules', '@osbuild-ts', name);
    mkdirSync(dirname(path), { recursive: true });
    symlinkSync(join(repoRoot, 'packages', name), path);
  }
  clearDiscoveryCache();
  return { dir, registry: await discoverPlugins(dir) };
}

export async function tempStore(): Promise<{ path: string; store: Store; reopen(): Promise<Store> }> {
  const path = mkdtempSync(join(tmpdir(), 'engine-sources-store-'));
  const open: Store[] = [];
  onTestFinished(async () => {
    for (const store of open) await store.close().catch(() => undefined);
    rmSync(path, { recursive: true, force: true });
  });
  const reopen = async () => {
    const store = await openStore(path);
    open.push(store);
    return store;
  };
  return { path, store: await reopen(), reopen };
}

export function manifestOf(doc: unknown): Manifest {
  return loadManifest(parsePyJson(JSON.stringify(doc)));
}

export interface ServedRequest {
  path: string;
  range?: string;
  ifRange?: string;
  userAgent?: string;
}

export interface TestServer {
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly requests: ServedRequest[];
  /** path → bytes served. */
  files: Map<string, Buffer>;
  /** path → how many of the next responses break off after `bytes` bytes. */
  drops: Map<string, { bytes: number; times: number }>;
  close(): Promise<void>;
}

/**
 * A file server on 127.0.0.1 that can misbehave: it honours `Range` (unless
 * `ranges: false`) with an ETag, and can cut a response off mid-file.
 */
export async function startServer(files: Record<string, Buffer>, { ranges = true } = {}): Promise<TestServer> {
  const state = { files: new Map(Object.entries(files)), drops: new Map<string, { bytes: number; times: number }>(), requests: [] as ServedRequest[] };
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    state.requests.push({
      path,
      ...(req.headers.range ? { range: req.headers.range } : {}),
      ...(req.headers['if-range'] ? { ifRange: req.headers['if-range'] as string } : {}),
      ...(req.headers['user-agent'] ? { userAgent: req.headers['user-agent'] } : {}),
    });
    const body = state.files.get(path);
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    const etag = `"${createHash('md5').update(body).digest('hex')}"`;
    let start = 0;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (ranges && range && (req.headers['if-range'] === undefined || req.headers['if-range'] === etag) && Number(range[1]) < body.length) {
      start = Number(range[1]);
      res.writeHead(206, { 'content-length': body.length - start, 'content-range': `bytes ${start}-${body.length - 1}/${body.length}`, etag });
    } else {
      res.writeHead(200, { 'content-length': body.length, etag, ...(ranges ? { 'accept-ranges': 'bytes' } : {}) });
    }
    const drop = state.drops.get(path);
    if (drop !== undefined && drop.times > 0) {
      drop.times--;
      res.write(body.subarray(start, start + drop.bytes), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    res.end(body.subarray(start));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  onTestFinished(close);
  return { port, url: `http://127.0.0.1:${port}`, requests: state.requests, files: state.files, drops: state.drops, close };
}

/** A port on 127.0.0.1 with nothing listening: a mirror that is down. */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { onTestFinished } from 'vitest';
import { clearDiscoveryCache, discoverPlugins, loadManifest, parsePyJson, type Manifest, type Registry } from '@osbuild-ts/core';
import { openStore, type Store } from '@osbuild-ts/store';
import { repoRoot } from '../helpers.js';
import { closedPort, startTestServer, type ServedRequest, type TestServer } from '@osbuild-ts/source-kit/testing';

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

export { closedPort, type ServedRequest, type TestServer };

/**
 * A file server on 127.0.0.1 that can misbehave: it honours `Range` (unless
 * `ranges: false`) with an ETag, and can cut a response off mid-file
 * (`server.drops`). It is source-kit's test server.
 */
export function startServer(files: Record<string, Buffer>, { ranges = true } = {}): Promise<TestServer> {
  return startTestServer({ files, ranges });
}

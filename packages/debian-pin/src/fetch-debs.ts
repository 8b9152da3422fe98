/**
 * Downloads pinned .debs into a directory, each named by its checksum
 * (`sha256:<hex>`, as osbuild's source cache names files) and verified
 * before it gets that name. For tests, benchmarks and pre-seeding; builds get
 * their files through the engine's `org.osbuild.curl` source.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OsbuildError } from '@osbuild-ts/core';
import { checksumOf } from './manifest.js';
import type { PinnedPackage } from './resolve.js';

async function fetchOne(p: PinnedPackage, dir: string): Promise<boolean> {
  const target = join(dir, checksumOf(p));
  if (existsSync(target)) return false;
  const response = await fetch(p.url);
  if (!response.ok) throw new OsbuildError('E_SOURCE_FETCH', `${p.url}: HTTP ${response.status}`);
  const bytes = Buffer.from(await response.arrayBuffer());
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== p.sha256) throw new OsbuildError('E_SOURCE_VERIFY', `${p.url}: checksum mismatch (sha256:${actual}, expected ${checksumOf(p)})`);
  const temp = join(dir, `.tmp-${p.sha256}-${process.pid}`);
  writeFileSync(temp, bytes);
  renameSync(temp, target);
  return true;
}

/** Fetches what `dir` lacks, a few at a time; returns how many were downloaded. */
export async function fetchDebs(packages: readonly PinnedPackage[], dir: string, parallel = 8): Promise<number> {
  mkdirSync(dir, { recursive: true });
  const queue = [...packages];
  let fetched = 0;
  const worker = async (): Promise<void> => {
    for (let p = queue.shift(); p; p = queue.shift()) {
      try {
        if (await fetchOne(p, dir)) fetched++;
      } catch (error) {
        rmSync(join(dir, `.tmp-${p.sha256}-${process.pid}`), { force: true });
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, queue.length) }, worker));
  return fetched;
}

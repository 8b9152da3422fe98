/**
 * The source cache, laid out exactly like osbuild's:
 * sources/<content type>/<checksum>. Items arrive through a temporary
 * directory beside them (same filesystem), are verified, then published with
 * link(2), which — unlike rename — never replaces an item that is already
 * there (stages may hold hard links to it).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { link, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoOf, StoreError, storeError } from './errors.js';
import { removeTree } from './files.js';
import type { Layout } from './layout.js';
import type { Run } from './run.js';

export interface AddSourceOptions {
  /**
   * How to check the written file before it is published: `'checksum'`
   * (default) hashes it with the checksum's algorithm (`<algo>:<hex>`, algo
   * md5 sha1 sha256 sha384 sha512); a function throws to reject the file.
   */
  verify?: 'checksum' | ((path: string) => Promise<void>);
}

export interface AddedSource {
  readonly path: string;
  /** True when the item was already present (nothing was written or verified). */
  readonly cached: boolean;
}

export interface SourceCache {
  /** `<store>/sources`. */
  readonly dir: string;
  path(contentType: string, checksum: string): string;
  has(contentType: string, checksum: string): Promise<boolean>;
  /**
   * Adds an item unless present: `write` receives a path (in a fresh temporary
   * directory on the store's filesystem) and must create the file there.
   */
  add(
    contentType: string,
    checksum: string,
    write: (path: string) => Promise<void>,
    options?: AddSourceOptions,
  ): Promise<AddedSource>;
}

const ALGORITHMS = new Set(['md5', 'sha1', 'sha256', 'sha384', 'sha512']);

/** One path component that cannot be a temporary entry or escape the directory. */
function checkName(kind: string, name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._:+-]*$/.test(name) || name.length > 255) {
    throw storeError('usage', `not a valid source ${kind}: ${JSON.stringify(name)}`);
  }
  return name;
}

export function createSourceCache(layout: Layout, run: Run): SourceCache {
  const path = (contentType: string, checksum: string) =>
    join(layout.sources, checkName('content type', contentType), checkName('checksum', checksum));
  const has = async (contentType: string, checksum: string) =>
    (await stat(path(contentType, checksum)).catch(() => null))?.isFile() === true;

  return {
    dir: layout.sources,
    path,
    has,
    async add(contentType, checksum, write, options = {}) {
      const final = path(contentType, checksum);
      if (await has(contentType, checksum)) return { path: final, cached: true };
      const dir = join(layout.sources, contentType);
      await mkdir(dir, { recursive: true });
      const tmp = join(dir, `.tmp-${run.nextName()}`);
      await mkdir(tmp);
      try {
        const file = join(tmp, 'data');
        await write(file);
        const verify = options.verify ?? 'checksum';
        if (verify === 'checksum') await verifyChecksum(file, checksum);
        else await verify(file);
        try {
          await link(file, final);
        } catch (error) {
          if (errnoOf(error) === 'EEXIST') return { path: final, cached: true };
          throw error;
        }
        return { path: final, cached: false };
      } finally {
        await removeTree(tmp);
      }
    },
  };
}

/** Hashes the file's raw bytes; throws E_SOURCE_VERIFY ("checksum mismatch") on a difference. */
export async function verifyChecksum(file: string, checksum: string): Promise<void> {
  const [algorithm = '', expected = ''] = checksum.split(':', 2);
  if (!ALGORITHMS.has(algorithm) || !/^[0-9a-f]+$/.test(expected)) {
    throw storeError('usage', `not a checksum (<algo>:<hex>, algo md5 sha1 sha256 sha384 sha512): ${checksum}`);
  }
  const hash = createHash(algorithm);
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  const actual = hash.digest('hex');
  if (actual !== expected) {
    throw new StoreError('E_SOURCE_VERIFY', 'verify', `checksum mismatch: expected ${checksum}, got ${algorithm}:${actual}`, {
      details: { expected: checksum, actual: `${algorithm}:${actual}`, file },
    });
  }
}

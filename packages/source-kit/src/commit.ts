import { link, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { checksumParts } from './checksum.js';

/**
 * Publishes a verified file as `<cache>/<checksum>` and removes the temporary
 * name. link(2), not rename(2): an item that is already there wins and is
 * never replaced (a concurrent fetch of the same checksum, or a stage input
 * holding a hard link to it). The file must be on the cache's filesystem —
 * the request's `tmp` directory is.
 */
export async function commitToCache(file: string, cache: string, checksum: string): Promise<{ path: string; cached: boolean }> {
  checksumParts(checksum);
  const target = join(cache, checksum);
  let cached = false;
  try {
    await link(file, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    cached = true;
  }
  await unlink(file).catch(() => undefined);
  return { path: target, cached };
}

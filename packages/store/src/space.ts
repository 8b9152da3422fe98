/**
 * ENOSPC, wherever it comes from (a write of ours, `cp`, `tar`, a stage),
 * is reported as what it is: the file system that is full, by its mount
 * point, its size, and what was being written.
 */
import { existsSync, readFileSync, realpathSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { errnoOf, isStoreError, storeError, type StoreError } from './errors.js';

const NO_SPACE = /ENOSPC|No space left on device|Disk quota exceeded|EDQUOT/;

/** Whether an error (or a tool's output) says the file system is full. */
export function isNoSpace(error: unknown): boolean {
  if (typeof error === 'string') return NO_SPACE.test(error);
  const code = errnoOf(error);
  if (code === 'ENOSPC' || code === 'EDQUOT') return true;
  const stderr = isStoreError(error) ? String(error.details['stderr'] ?? '') : '';
  return NO_SPACE.test(stderr) || (error instanceof Error && NO_SPACE.test(error.message));
}

/** "/var/tmp (ext4, 10.0 MiB, 0 B free)": the mount holding `path`. */
export function fileSystemOf(path: string): string {
  let existing = path;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  let real = existing;
  try {
    real = realpathSync(existing);
  } catch {
    // keep what we have
  }
  let best = { point: '/', type: '?' };
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const fields = line.split(' ');
    const point = (fields[4] ?? '').replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)));
    const separator = fields.indexOf('-');
    if (point === '' || separator < 0) continue;
    if ((real === point || real.startsWith(point.endsWith('/') ? point : `${point}/`)) && point.length >= best.point.length) {
      best = { point, type: fields[separator + 1] ?? '?' };
    }
  }
  try {
    const s = statfsSync(real);
    return `${best.point} (${best.type}, ${size(s.blocks * s.bsize)}, ${size(s.bavail * s.bsize)} free)`;
  } catch {
    return `${best.point} (${best.type})`;
  }
}

function size(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** The `space` error for a full file system: `what` is being written at `path`. */
export function noSpaceError(path: string, what: string, cause?: unknown): StoreError {
  return storeError('space', `no space left on the file system ${fileSystemOf(path)} while ${what} (${path})`, {
    cause,
    hint: 'free space on that file system, or use a --store / --output-directory on a larger one (--cache-max-size bounds the store)',
    details: { path },
  });
}

/** Runs `work`; an ENOSPC from it becomes noSpaceError(path, what). */
export async function naming<T>(path: string, what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isNoSpace(error) && !isStoreError(error, 'space')) throw noSpaceError(path, what, error);
    throw error;
  }
}

import { lstat, lutimes, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * osbuild's source-epoch clamp (util/path.py clamp_mtime): every file,
 * directory and symlink (the link itself) whose mtime is at or after `since`
 * (Unix seconds) gets atime and mtime `epoch`. Children go before their
 * directory, so the directory's own time is the last one set. A file whose
 * mtime already is `epoch` is left alone (its atime too, which listing a
 * directory moves): on an overlay, touching it would copy it up for nothing.
 * Immutable files (EPERM) are skipped, as upstream does. Returns how
 * many were clamped.
 */
/** Entries of one directory visited at once. */
const CONCURRENCY = 64;

export async function clampMtimes(root: string, since: number, epoch: number): Promise<number> {
  const threshold = since * 1000;
  let clamped = 0;
  const visit = async (path: string, isDirectory: boolean): Promise<void> => {
    if (isDirectory) {
      const entries = await readdir(path, { withFileTypes: true });
      // A bounded number at a time: a directory of 50,000 files would otherwise hold as many
      // pending lstat calls and promises at once (hundreds of MB).
      for (let i = 0; i < entries.length; i += CONCURRENCY) {
        await Promise.all(entries.slice(i, i + CONCURRENCY).map((entry) => visit(join(path, entry.name), entry.isDirectory())));
      }
    }
    const info = await lstat(path);
    if (info.mtimeMs < threshold || info.mtimeMs === epoch * 1000) return;
    try {
      await lutimes(path, epoch, epoch);
      clamped++;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
    }
  };
  await visit(root, true);
  return clamped;
}

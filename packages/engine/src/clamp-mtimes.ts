import { lstat, lutimes, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Entries of one directory visited at once. */
const CONCURRENCY = 64;

export interface ClampResult {
  /** Entries whose times were set. */
  clamped: number;
  /** Entries at or after `since` left as they were: immutable (EPERM), as upstream skips them. */
  skipped: number;
}

export interface ClampOptions {
  /**
   * Take the names to look at from this directory instead of `root`: the
   * stage's own overlay layer (its upper dir), when nothing the layers below
   * show can be at or after `since` (the store's mtime bound says so). Every
   * entry the merged tree shows from the upper dir is there at the same
   * path; the rest comes from below and is older than `since`, so the
   * result is the same as a walk of the whole tree. Times are still read
   * and set through `root` (writing an overlay's upper dir while it is
   * mounted is not allowed); names the tree does not show (whiteouts) are
   * passed over.
   */
  walk?: string;
}

/**
 * osbuild's source-epoch clamp (util/path.py clamp_mtime): every file,
 * directory and symlink (the link itself) whose mtime is at or after `since`
 * (Unix seconds) gets atime and mtime `epoch`. Children go before their
 * directory, so the directory's own time is the last one set. A file whose
 * mtime already is `epoch` is left alone (its atime too, which listing a
 * directory moves): on an overlay, touching it would copy it up for nothing.
 * Immutable files (EPERM) are skipped, as upstream does.
 */
export async function clampMtimes(root: string, since: number, epoch: number, options: ClampOptions = {}): Promise<ClampResult> {
  const threshold = since * 1000;
  const walkRoot = options.walk ?? root;
  const partial = options.walk !== undefined;
  const result: ClampResult = { clamped: 0, skipped: 0 };
  const visit = async (relative: string, isDirectory: boolean): Promise<void> => {
    if (isDirectory) {
      const entries = await readdir(join(walkRoot, relative), { withFileTypes: true });
      // A bounded number at a time: a directory of 50,000 files would otherwise hold as many
      // pending lstat calls and promises at once (hundreds of MB).
      for (let i = 0; i < entries.length; i += CONCURRENCY) {
        await Promise.all(entries.slice(i, i + CONCURRENCY).map((entry) => visit(join(relative, entry.name), entry.isDirectory())));
      }
    }
    const path = join(root, relative);
    let info;
    try {
      info = await lstat(path);
    } catch (error) {
      // A whiteout of the upper dir: the name is not in the tree.
      const code = (error as NodeJS.ErrnoException).code;
      if (partial && (code === 'ENOENT' || code === 'ENOTDIR')) return;
      throw error;
    }
    if (info.mtimeMs < threshold || info.mtimeMs === epoch * 1000) return;
    try {
      await lutimes(path, epoch, epoch);
      result.clamped++;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
      result.skipped++;
    }
  };
  await visit('', true);
  return result;
}

import type { SquashfsOptions } from './options.js';

/**
 * mksquashfs's arguments for `source` into `target`, in upstream's order
 * (source, target, `-comp` and its `-X` options, `-regex -e` paths last:
 * `-e` takes every argument after it), with what makes the image depend on
 * the tree alone:
 *
 * - `-noappend`: a file already at `target` is replaced, never added to;
 * - `-reproducible`: fragments and data blocks in a fixed order whatever
 *   the number of processors (mksquashfs 4.4 and later; the default there,
 *   said explicitly);
 * - with a source epoch, `-mkfs-time` and `-all-time` set to it: the
 *   superblock's date and every inode's mtime are the epoch, not the clock
 *   or the times the tree's files happened to get;
 * - `-no-progress`: no progress bar in the stage's log.
 *
 * Extended attributes are kept (mksquashfs's default, and upstream's).
 * Directory entries are sorted by mksquashfs itself.
 */
export function mksquashfsArguments(options: SquashfsOptions, source: string, target: string, epoch: number | null): string[] {
  const args = [source, target, '-noappend', '-reproducible', '-no-progress'];
  if (epoch !== null) args.push('-mkfs-time', String(epoch), '-all-time', String(epoch));
  const compression = options.compression;
  if (compression) {
    args.push('-comp', compression.method);
    for (const [option, value] of Object.entries(compression.options ?? {})) {
      if (value === undefined) continue;
      if (compression.method !== 'xz' && option === 'bcj') {
        throw new Error(`compression.options.bcj: mksquashfs takes a BCJ filter with xz only, not with ${compression.method}`);
      }
      args.push(`-X${option}`, value);
    }
  }
  if (options.exclude_paths && options.exclude_paths.length > 0) args.push('-regex', '-e', ...options.exclude_paths);
  return args;
}

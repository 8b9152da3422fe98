import { reproducibleTarArguments } from '@osbuild-ts/plugin-kit';
import type { TarOptions } from './tar-options.js';

/**
 * The `tar` command line, in upstream's order:
 * `--format=F [--acls] [--selinux] [--xattrs --xattrs-include *] [--sparse]
 * [--transform T] [--numeric-owner] --auto-compress|--<compression>
 * -cf ARCHIVE -C TREE MEMBERS…`, with the options that make the bytes
 * reproducible (`--sort=name`, no atime/ctime, mtimes clamped to the
 * source epoch) before `-cf`. The compression names are tar's own long
 * options, so they pass through as they are.
 */
export function tarArguments(options: TarOptions, archive: string, tree: string, members: readonly string[], epoch: number | null = null): string[] {
  const args = [`--format=${options.format ?? 'gnu'}`];
  if (options.acls ?? true) args.push('--acls');
  if (options.selinux ?? true) args.push('--selinux');
  if (options.xattrs ?? true) args.push('--xattrs', '--xattrs-include', '*');
  if (options.sparse ?? false) args.push('--sparse');
  // Upstream skips an empty transform too.
  if (options.transform) args.push('--transform', options.transform);
  if (options['numeric-owner'] ?? false) args.push('--numeric-owner');
  const compression = options.compression ?? 'auto';
  args.push(compression === 'auto' ? '--auto-compress' : `--${compression}`);
  const pax = options.format === 'posix' || args.some((a) => a === '--acls' || a === '--selinux' || a === '--xattrs');
  return [...args, ...reproducibleTarArguments(epoch, pax), '-cf', archive, '-C', tree, ...members];
}

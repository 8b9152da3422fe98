import { reproducibleTarArguments } from '@osbuild-ts/plugin-kit';
import type { TarAssemblerOptions } from './tar-options.js';

/**
 * Upstream's command line, `tar [--<compression>] [--acls] [--selinux]
 * [--xattrs --xattrs-include *] -cf OUT -C TREE .`, with the options that
 * make the bytes reproducible before `-cf`.
 */
export function tarArguments(options: TarAssemblerOptions, archive: string, tree: string, epoch: number | null): string[] {
  const args: string[] = [];
  if (options.compression !== undefined) args.push(`--${options.compression}`);
  if (options.acls ?? true) args.push('--acls');
  if (options.selinux ?? true) args.push('--selinux');
  if (options.xattrs ?? true) args.push('--xattrs', '--xattrs-include', '*');
  // Without ACLs, SELinux or xattrs this is a plain GNU archive: no pax headers.
  const pax = args.some((a) => a === '--acls' || a === '--selinux' || a === '--xattrs');
  return [...args, ...reproducibleTarArguments(epoch, pax), '-cf', archive, '-C', tree, '.'];
}

import { statSync } from 'node:fs';
import { locationParts, refuseLinksOut, type StageArguments } from '@osbuild-ts/plugin-kit';

/**
 * Where to unpack. A plain `prefix` is a directory of the tree, a leading
 * `/` optional, as upstream reads it; a `tree://` or `mount://` location is
 * resolved as the copy stage resolves one, so an archive can go into a
 * mounted file system. It must be an existing directory.
 */
export function extractDirectory(args: StageArguments<unknown>, prefix: string): { directory: string; root: string } {
  if (prefix.startsWith('input://')) throw new Error(`prefix "${prefix}": inputs are read-only; unpack into the tree or a mount`);
  const location = prefix.includes('://') ? prefix : `tree:///${prefix.replace(/^\/+/, '')}`;
  const { root, path: directory } = locationParts(args, location);
  refuseLinksOut(root, directory, `prefix "${prefix}"`);
  let isDirectory = false;
  try {
    isDirectory = statSync(directory).isDirectory();
  } catch {
    // Reported below.
  }
  if (!isDirectory) throw new Error(`prefix "${prefix}": ${directory} is not a directory (create it first, e.g. with org.osbuild.mkdir)`);
  return { directory, root };
}

import { posix } from 'node:path';
import { locationParts, refuseLinksOut, type StageArguments } from '@osbuild-ts/plugin-kit';

/**
 * Turns a copy location into the path handed to `cp`. A location ending in
 * `/` becomes `<dir>/.`, so `cp -a` copies the directory's contents rather
 * than the directory itself (rsync's convention, as upstream's stage does).
 */
export function copyPath(args: StageArguments<unknown>, location: string, destination?: { removeDestination: boolean }): string {
  const { root, path } = locationParts(args, location);
  // A destination must not be reached through a symlink out of its root (the
  // tree or a mount); with remove_destination a link at the destination
  // itself is replaced, not followed (`/etc/localtime -> /usr/share/…`).
  if (destination) refuseLinksOut(root, destination.removeDestination && !location.endsWith('/') ? posix.dirname(path) : path, location);
  if (!location.endsWith('/')) return path;
  return `${path.replace(/\/+$/, '')}/.`;
}

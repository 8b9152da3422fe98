import { resolveLocation, type StageArguments } from '@osbuild-ts/plugin-kit';

/**
 * Turns a copy location into the path handed to `cp`. A location ending in
 * `/` becomes `<dir>/.`, so `cp -a` copies the directory's contents rather
 * than the directory itself (rsync's convention, as upstream's stage does).
 */
export function copyPath(args: StageArguments<unknown>, location: string): string {
  const path = resolveLocation(args, location);
  if (!location.endsWith('/')) return path;
  return `${path.replace(/\/+$/, '')}/.`;
}

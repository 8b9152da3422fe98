import { locationParts, type StageArguments } from '@osbuild-ts/plugin-kit';

/**
 * The directory a `path` names. Plain paths are in the tree (a relative one
 * too, as osbuild's first version of the stage took them). `mount:///p`,
 * with no mount name, is upstream's way to name a path under the root all
 * mounts hang from (`paths.mounts`), e.g. `mount:///boot/efi` when mounts
 * are at `/` and `/boot/efi`.
 */
export function targetPath(args: StageArguments<unknown>, location: string): string {
  return targetParts(args, location).path;
}

/** The directory a `path` names and the root (tree or mount) it must stay in. */
export function targetParts(args: StageArguments<unknown>, location: string): { root: string; path: string } {
  if (!location.startsWith('mount:///')) return locationParts(args, location);
  const root = args.paths.mounts;
  if (!root) throw new Error(`${location}: the stage was given no mounts root (paths.mounts) for a mount:/// path`);
  return locationParts({ ...args, mounts: { ...args.mounts, '': { path: root } } }, location);
}

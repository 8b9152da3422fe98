import { posix } from 'node:path';
import type { FilesystemOptions, Partition } from './options.js';

/** One file system to build: where its content comes from and which nested mount points it leaves empty. */
export interface FilesystemPlan {
  partition: Partition;
  filesystem: FilesystemOptions;
  /** The mount point, normalised: `/`, `/boot`, `/boot/efi`. */
  mountpoint: string;
  /** Byte range of the partition in the image. */
  offset: number;
  size: number;
  /**
   * Mount points of the file systems mounted directly below this one,
   * relative to its root (`boot/efi`): their directories stay, empty, and
   * their content goes to the other file system.
   */
  nested: string[];
}

/**
 * The file systems in mount order (shortest mount point first, as upstream
 * mounts them), each with the part of the tree it gets.
 */
export function planFilesystems(partitions: readonly Partition[]): FilesystemPlan[] {
  const withFs = partitions.filter((p): p is Partition & { filesystem: FilesystemOptions } => p.filesystem !== undefined);
  const mountpoints = withFs.map((p) => normalMountpoint(p.filesystem.mountpoint));
  const seen = new Set<string>();
  for (const mp of mountpoints) {
    if (seen.has(mp)) throw new Error(`two file systems are mounted at ${mp}`);
    seen.add(mp);
  }
  const plans = withFs.map((partition, i) => {
    const mountpoint = mountpoints[i] as string;
    const below = mountpoints.filter((other) => other !== mountpoint && isBelow(other, mountpoint));
    // Only the outermost: /boot/efi belongs to /boot's file system when there is one.
    const nested = below
      .filter((other) => !below.some((outer) => outer !== other && isBelow(other, outer)))
      .map((other) => posix.relative(mountpoint, other))
      .sort();
    return {
      partition,
      filesystem: partition.filesystem,
      mountpoint,
      offset: partition.start * 512,
      size: partition.size * 512,
      nested,
    };
  });
  // Stable, like Python's sorted(): equal lengths keep table order.
  return plans.map((plan, i) => ({ plan, i })).sort((a, b) => a.plan.mountpoint.length - b.plan.mountpoint.length || a.i - b.i).map(({ plan }) => plan);
}

export function normalMountpoint(mountpoint: string): string {
  const normal = posix.normalize('/' + mountpoint);
  if (normal.split('/').includes('..')) throw new Error(`mount point ${mountpoint} leaves the tree`);
  return normal.length > 1 ? normal.replace(/\/$/, '') : normal;
}

function isBelow(path: string, dir: string): boolean {
  return dir === '/' ? path !== '/' : path.startsWith(dir + '/');
}

/** The partition holding /boot (its own, else the root file system's), as upstream finds it. */
export function bootPartition(plans: readonly FilesystemPlan[]): FilesystemPlan | null {
  return plans.find((p) => p.mountpoint === '/boot') ?? plans.find((p) => p.mountpoint === '/') ?? null;
}

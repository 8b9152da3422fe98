import type { Tool } from '../find-command.js';

/**
 * The host tools each file system writer in this directory runs (mkfs, the
 * tools that fix times and inodes afterwards, the copy into the image), so an
 * assembler can check them all before it writes anything.
 */
export const FILESYSTEM_TOOLS: Readonly<Record<'ext4' | 'xfs' | 'btrfs' | 'vfat', readonly Tool[]>> = {
  ext4: [
    { command: 'mkfs.ext4', package: 'e2fsprogs' },
    { command: 'debugfs', package: 'e2fsprogs' },
    { command: 'dumpe2fs', package: 'e2fsprogs' },
  ],
  xfs: [
    { command: 'mkfs.xfs', package: 'xfsprogs' },
    { command: 'xfs_db', package: 'xfsprogs' },
    { command: 'dd', package: 'coreutils' },
  ],
  btrfs: [
    { command: 'mkfs.btrfs', package: 'btrfs-progs' },
    { command: 'cp', package: 'coreutils' },
    { command: 'dd', package: 'coreutils' },
  ],
  vfat: [
    { command: 'mkfs.vfat', package: 'dosfstools' },
    { command: 'mmd', package: 'mtools' },
    { command: 'mcopy', package: 'mtools' },
    { command: 'dd', package: 'coreutils' },
  ],
};

/** The tools to write file systems of these types; unknown types need none here. */
export function filesystemTools(types: Iterable<string>): Tool[] {
  return [...new Set(types)].flatMap((type) => FILESYSTEM_TOOLS[type as keyof typeof FILESYSTEM_TOOLS] ?? []);
}

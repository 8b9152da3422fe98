/** The assembler's options, as upstream's schema admits them. */
export interface RawfsOptions {
  filename: string;
  root_fs_uuid: string;
  size: number;
  fs_type?: 'ext4' | 'xfs' | 'btrfs';
}

/** The tools each file system needs beyond mkfs, and their Debian packages. */
export const FS_TOOLS: Record<NonNullable<RawfsOptions['fs_type']>, { command: string; package: string }[]> = {
  ext4: [
    { command: 'mkfs.ext4', package: 'e2fsprogs' },
    { command: 'debugfs', package: 'e2fsprogs' },
    { command: 'dumpe2fs', package: 'e2fsprogs' },
  ],
  xfs: [
    { command: 'mkfs.xfs', package: 'xfsprogs' },
    { command: 'xfs_db', package: 'xfsprogs' },
  ],
  btrfs: [{ command: 'mkfs.btrfs', package: 'btrfs-progs' }],
};

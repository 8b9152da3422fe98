/** The assembler's options, as upstream's schema admits them. */
export interface RawfsOptions {
  filename: string;
  root_fs_uuid: string;
  size: number;
  fs_type?: 'ext4' | 'xfs' | 'btrfs';
}

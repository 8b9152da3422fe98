/** The assembler's options, as the schema admits them (upstream's names). */
export interface QemuOptions {
  format: ImageFormat;
  filename: string;
  size: number;
  ptuuid: string;
  pttype?: 'mbr' | 'dos' | 'gpt';
  partitions?: PartitionOptions[];
  root_fs_uuid?: string;
  root_fs_type?: 'ext4' | 'xfs' | 'btrfs';
  bootloader?: { type?: 'grub2' | 'zipl'; platform?: string };
  qcow2_compat?: string;
  vmdk_subformat?: string;
}

export type ImageFormat = 'raw' | 'raw.xz' | 'qcow2' | 'vdi' | 'vmdk' | 'vpc' | 'vhdx';
export type FsType = 'ext4' | 'xfs' | 'vfat' | 'btrfs';

export interface PartitionOptions {
  start?: number;
  size?: number;
  type?: string;
  bootable?: boolean;
  name?: string;
  uuid?: string;
  filesystem?: FilesystemOptions;
}

export interface FilesystemOptions {
  type: FsType;
  uuid: string;
  mountpoint: string;
  label?: string;
}

/** One partition, with what sfdisk reported once the table is written. */
export interface Partition {
  /** 0-based position in the table (grub and sfdisk count from 1). */
  index: number;
  start: number;
  size: number;
  type: string;
  bootable: boolean;
  name?: string;
  uuid?: string;
  filesystem?: FilesystemOptions;
}

export interface PartitionTable {
  label: 'dos' | 'gpt';
  uuid: string;
  partitions: PartitionOptions[];
}

export const FORMATS: readonly ImageFormat[] = ['raw', 'raw.xz', 'qcow2', 'vdi', 'vmdk', 'vpc', 'vhdx'];

/**
 * The partition table the options describe. Without `partitions` (upstream's
 * older form) it is one bootable Linux partition holding the root file
 * system, `root_fs_type` (ext4) with `root_fs_uuid`, on a dos table.
 */
export function partitionTableFromOptions(options: QemuOptions): PartitionTable {
  const label = options.pttype === 'gpt' ? 'gpt' : 'dos';
  if (options.partitions) return { label, uuid: options.ptuuid, partitions: options.partitions };
  if (!options.root_fs_uuid) throw new Error('either "root_fs_uuid" or "pttype" with "partitions" is required');
  return {
    label,
    uuid: options.ptuuid,
    partitions: [{ bootable: true, type: '83', filesystem: { type: options.root_fs_type ?? 'ext4', uuid: options.root_fs_uuid, mountpoint: '/' } }],
  };
}

/** Checks what the schema cannot: sizes in whole sectors, a known format, a safe file name. */
export function checkOptions(options: QemuOptions): void {
  if (!Number.isSafeInteger(options.size) || options.size <= 0 || options.size % 512 !== 0) {
    throw new Error('`size` must be a multiple of sector size (512)');
  }
  if (!FORMATS.includes(options.format)) throw new Error(`\`format\` must be one of ${FORMATS.join(', ')}`);
  const name = options.filename.replace(/^\/+/, '');
  if (name === '' || name === '.' || name === '..' || name.includes('/')) {
    throw new Error(`filename "${options.filename}" must name a file in the output directory`);
  }
}

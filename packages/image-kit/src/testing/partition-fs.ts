import { execFileSync } from 'node:child_process';
import { closeSync, ftruncateSync, openSync, rmSync } from 'node:fs';

export interface PartitionFs {
  type: 'ext4' | 'btrfs';
  /** The host directory the file system is made from. */
  root: string;
  uuid?: string;
  label?: string;
}

/**
 * Makes a file system from a directory into a partition of `image` without
 * mounting anything: mkfs populates a file of the partition's size
 * (`mkfs.ext4 -d`, `mkfs.btrfs --rootdir`), which dd writes at the
 * partition's offset.
 */
export function mkfsIntoPartition(image: string, range: { offset: number; size: number }, fs: PartitionFs): void {
  const part = `${image}.part-${range.offset}`;
  const fd = openSync(part, 'w');
  ftruncateSync(fd, range.size);
  closeSync(fd);
  try {
    const args = fs.type === 'ext4' ? ['-q', '-F', '-d', fs.root] : ['-q', '-f', '--rootdir', fs.root];
    if (fs.uuid) args.push('-U', fs.uuid);
    if (fs.label) args.push('-L', fs.label);
    execFileSync(`mkfs.${fs.type}`, [...args, part], { stdio: ['ignore', 'ignore', 'pipe'] });
    execFileSync('dd', [`if=${part}`, `of=${image}`, 'bs=1M', `seek=${range.offset}`, 'oflag=seek_bytes', 'conv=sparse,notrunc', 'status=none']);
  } finally {
    rmSync(part, { force: true });
  }
}

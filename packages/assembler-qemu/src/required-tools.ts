import type { PartitionTable, QemuOptions } from './options.js';
import type { Tool } from '@osbuild-ts/image-kit';

const FS_TOOLS: Record<string, Tool[]> = {
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

/** Every tool this build will run, known from the options alone. */
export function requiredTools(options: QemuOptions, table: PartitionTable, bootloader: string): Tool[] {
  const tools: Tool[] = [{ command: 'sfdisk', package: 'fdisk (util-linux on Fedora)' }];
  for (const type of new Set(table.partitions.flatMap((p) => (p.filesystem ? [p.filesystem.type] : [])))) tools.push(...(FS_TOOLS[type] ?? []));
  if (bootloader === 'grub2') tools.push({ command: 'grub2-mkimage|grub-mkimage', package: 'grub-common (grub2-tools-minimal on Fedora)' });
  if (options.format === 'raw.xz') tools.push({ command: 'xz', package: 'xz-utils' });
  else if (options.format !== 'raw') tools.push({ command: 'qemu-img', package: 'qemu-utils (qemu-img on Fedora)' });
  const seen = new Set<string>();
  return tools.filter((t) => !seen.has(t.command) && seen.add(t.command));
}

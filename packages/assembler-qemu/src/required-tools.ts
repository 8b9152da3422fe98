import type { PartitionTable, QemuOptions } from './options.js';
import { filesystemTools, type Tool } from '@osbuild-ts/image-kit';

/** Every tool this build will run, known from the options alone. */
export function requiredTools(options: QemuOptions, table: PartitionTable, bootloader: string): Tool[] {
  const tools: Tool[] = [{ command: 'sfdisk', package: 'fdisk (util-linux on Fedora)' }];
  tools.push(...filesystemTools(table.partitions.flatMap((p) => (p.filesystem ? [p.filesystem.type] : []))));
  if (bootloader === 'grub2') tools.push({ command: 'grub2-mkimage|grub-mkimage', package: 'grub-common (grub2-tools-minimal on Fedora)' });
  if (options.format === 'raw.xz') tools.push({ command: 'xz', package: 'xz-utils' });
  else if (options.format !== 'raw') tools.push({ command: 'qemu-img', package: 'qemu-utils (qemu-img on Fedora)' });
  const seen = new Set<string>();
  return tools.filter((t) => !seen.has(t.command) && seen.add(t.command));
}

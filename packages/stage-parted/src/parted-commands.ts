import type { PlacedPartition } from './parted-options.js';

/**
 * parted's script, as upstream writes it: sectors as the unit, a new gpt
 * label, then per partition `mkpart "NAME" START END` and its flags, the
 * boot flag before the type flag (on gpt both choose the type GUID, so the
 * type wins). The name is quoted so parted reads an empty or spaced one.
 */
export function partedCommands(label: string, partitions: readonly PlacedPartition[]): string[] {
  const commands = ['unit', 's', 'mklabel', label];
  partitions.forEach((partition, index) => {
    const number = String(index + 1);
    commands.push('mkpart', `"${partition.name ?? ''}"`, String(partition.start), String(partition.start + partition.size - 1));
    if (partition.bootable) commands.push('set', number, 'boot', 'on');
    if (partition.type) commands.push('set', number, partition.type, 'on');
  });
  return commands;
}

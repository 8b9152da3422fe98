import { attributeNames } from './check-table.js';
import type { SfdiskOptions, SfdiskPartition } from './sfdisk-options.js';

const FIELDS = ['start', 'size', 'type', 'name', 'uuid', 'attrs'] as const;

/** One partition's fields, in upstream's order; unset, 0 and empty values are left to sfdisk, as upstream does. */
function partitionLine(partition: SfdiskPartition, device: string): string {
  const fields: string[] = [];
  for (const field of FIELDS) {
    const value = partition[field];
    if (value === undefined || value === 0 || value === '') continue;
    if (Array.isArray(value)) {
      const names = attributeNames(value);
      if (names.length > 0) fields.push(`attrs="${names.join(',')}"`);
    } else {
      fields.push(`${field}="${value}"`);
    }
  }
  if (partition.bootable) fields.push('bootable');
  // sfdisk takes the slot from the trailing number of a "<device>pN:" name.
  const line = fields.join(', ');
  return partition.partnum ? `${device}p${partition.partnum}: ${line}` : line;
}

/** The sfdisk script for the table (see sfdisk(8), "Input formats"). */
export function sfdiskScript(options: SfdiskOptions, partitions: readonly SfdiskPartition[], device: string): string {
  return [`label: ${options.label}`, `label-id: ${options.uuid}`, ...partitions.map((p) => partitionLine(p, device))].join('\n');
}

import { captureTool, runTool } from '@osbuild-ts/plugin-kit';
import type { Partition, PartitionTable } from './options.js';
import { derivedPartitionUuid } from './partition-uuid.js';

/**
 * The sfdisk script for the table, as upstream writes it: `label`,
 * `label-id`, then one line per partition with the fields that are set
 * (quoted) and `bootable`. GPT partitions without a UUID get a derived one.
 */
export function sfdiskScript(table: PartitionTable): string {
  const lines = [`label: ${table.label}`, `label-id: ${table.uuid}`];
  table.partitions.forEach((p, index) => {
    const uuid = p.uuid ?? (table.label === 'gpt' ? derivedPartitionUuid(table.uuid, index) : undefined);
    const fields: string[] = [];
    for (const [key, value] of [['start', p.start], ['size', p.size], ['type', p.type], ['name', p.name], ['uuid', uuid]] as const) {
      if (value === undefined || value === 0 || value === '') continue;
      if (typeof value === 'string' && /["\n]/.test(value)) throw new Error(`partition ${index + 1}: ${key} may not contain quotes or newlines`);
      fields.push(`${key}="${value}"`);
    }
    if (p.bootable) fields.push('bootable');
    // A bare comma takes sfdisk's defaults for every field.
    lines.push(fields.length > 0 ? fields.join(', ') : ',');
  });
  return lines.join('\n') + '\n';
}

interface SfdiskJson {
  partitiontable: {
    label: string;
    id: string;
    partitions?: { start: number; size: number; type: string; bootable?: boolean; name?: string; uuid?: string }[];
  };
}

/** Writes the table with sfdisk and returns the partitions as sfdisk laid them out. */
export function writePartitionTable(image: string, table: PartitionTable): Partition[] {
  runTool('sfdisk', ['-q', '--no-reread', '--no-tell-kernel', image], { input: sfdiskScript(table) });
  const written = readPartitionTable(image);
  const parts = written.partitiontable.partitions ?? [];
  if (parts.length !== table.partitions.length) {
    throw new Error(`sfdisk wrote ${parts.length} partitions, the options ask for ${table.partitions.length}`);
  }
  return parts.map((p, index) => {
    const wanted = table.partitions[index];
    return {
      index,
      start: p.start,
      size: p.size,
      type: p.type,
      bootable: p.bootable ?? false,
      ...(p.name !== undefined ? { name: p.name } : {}),
      ...(p.uuid !== undefined ? { uuid: p.uuid } : {}),
      ...(wanted?.filesystem ? { filesystem: wanted.filesystem } : {}),
    };
  });
}

export function readPartitionTable(image: string): SfdiskJson {
  return JSON.parse(captureTool('sfdisk', ['--json', image])) as SfdiskJson;
}

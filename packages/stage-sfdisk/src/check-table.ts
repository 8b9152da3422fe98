import { isPartitionType, sfdiskTypeNames, typeExpectation } from './partition-types.js';
import { tableKind, type SfdiskOptions } from './sfdisk-options.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOS_ID = /^(0x)?[0-9a-f]{1,8}$/i;
// A double quote or a line break would end the field or the line in sfdisk's script.
const SCRIPT_BREAKING = /["\p{Cc}]/u;
const ATTRIBUTE_NAMES: Record<number, string> = { 0: 'RequiredPartition', 1: 'NoBlockIOProtocol', 2: 'LegacyBIOSBootable' };

/**
 * Checks what sfdisk would get wrong without a clear word: a gpt table id
 * that is not a UUID (sfdisk picks a random one), an unknown type (dos:
 * silently "Empty"), a partition UUID it cannot read, text that would break
 * its script. Returns notes on options the table type ignores, for the
 * stage's output.
 */
export function checkTable(options: SfdiskOptions, names = sfdiskTypeNames): string[] {
  const kind = tableKind(options.label);
  if (kind === 'gpt' && !UUID.test(options.uuid)) {
    throw new Error(`uuid "${options.uuid}": a gpt table's id must be a UUID (sfdisk would pick a random one instead)`);
  }
  if (kind === 'dos' && !DOS_ID.test(options.uuid) && !UUID.test(options.uuid)) {
    throw new Error(`uuid "${options.uuid}": a dos table's id is a 32-bit hex number, such as 0x14fc63d2`);
  }
  // Asked of sfdisk once, and only when a type is neither a code nor a shortcut.
  let known: Set<string> | undefined;
  const typeNames = () => (known ??= names(kind));
  const notes: string[] = [];
  (options.partitions ?? []).forEach((partition, index) => {
    const where = `partitions[${index}]`;
    if (partition.type && !isPartitionType(kind, partition.type, typeNames)) {
      throw new Error(`${where}.type "${partition.type}" is not a ${kind} partition type; expected ${typeExpectation(kind)}`);
    }
    for (const field of ['name', 'uuid'] as const) {
      if (partition[field] && SCRIPT_BREAKING.test(partition[field])) {
        throw new Error(`${where}.${field} ${JSON.stringify(partition[field])}: sfdisk's script cannot hold a double quote or a control character`);
      }
    }
    if (partition.partnum !== undefined && partition.partnum < 1) throw new Error(`${where}.partnum ${partition.partnum}: partition numbers start at 1`);
    if (kind === 'gpt') {
      if (partition.uuid && !UUID.test(partition.uuid)) throw new Error(`${where}.uuid "${partition.uuid}" is not a UUID`);
      if (partition.bootable) notes.push(`${where}: "bootable" is for dos tables and sfdisk ignores it on gpt (gpt's is attrs [2], LegacyBIOSBootable)`);
      const reserved = (partition.attrs ?? []).filter((bit) => !(bit in ATTRIBUTE_NAMES) && bit < 48);
      if (reserved.length > 0) notes.push(`${where}.attrs: bits ${reserved.join(', ')} are reserved by UEFI and left out, as osbuild does`);
    } else {
      for (const field of ['name', 'uuid', 'attrs'] as const) {
        const value = partition[field];
        if (value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0)) {
          notes.push(`${where}: "${field}" is for gpt tables and sfdisk ignores it on dos`);
        }
      }
    }
  });
  return notes;
}

/** sfdisk's names for attribute bits, as upstream writes them; bits 3-47 are reserved and dropped. */
export function attributeNames(bits: readonly number[]): string[] {
  return bits.flatMap((bit) => (bit in ATTRIBUTE_NAMES ? [ATTRIBUTE_NAMES[bit] as string] : bit >= 48 && bit <= 63 ? [String(bit)] : []));
}

import { v5 as nameBasedUuid } from 'uuid';
import type { SfdiskPartition } from './sfdisk-options.js';

/**
 * For reproducible builds (a `source-epoch` is set): gives each gpt
 * partition without a `uuid` one derived from the table's UUID and its
 * partition number (a name-based UUID, RFC 9562 version 5), where sfdisk
 * would pick a random one. Partitions with a `uuid` keep it.
 */
export function withStableUuids(tableUuid: string, partitions: readonly SfdiskPartition[]): SfdiskPartition[] {
  // As bytes: a disk GUID need not carry an RFC version, which uuid's parser insists on.
  const namespace = Uint8Array.from(Buffer.from(tableUuid.replace(/-/g, ''), 'hex'));
  return partitions.map((partition, index) =>
    partition.uuid ? partition : { ...partition, uuid: nameBasedUuid(`partition ${partition.partnum ?? index + 1}`, namespace).toUpperCase() },
  );
}

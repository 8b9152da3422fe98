import type { DeviceGeometry } from '@osbuild-ts/plugin-kit';
import type { PartedPartition, PlacedPartition } from './parted-options.js';

/** GPT keeps 128 entries of 128 bytes at each end of the disk, after/before a header sector. */
const GPT_ENTRIES_BYTES = 128 * 128;

/** The sectors gpt partitions may use: all but the headers and entry arrays. */
export function usableSectors(geometry: DeviceGeometry): { first: number; last: number } {
  const entries = Math.ceil(GPT_ENTRIES_BYTES / geometry.sectorSize);
  return { first: 2 + entries, last: geometry.sectors - 2 - entries };
}

/**
 * Checks each partition before parted runs, since parted applies its
 * commands one by one and a late failure leaves a half-written table:
 * start and size present (upstream would crash), inside the device, no
 * overlaps, and a name parted's quoting can carry.
 */
export function checkPartitions(partitions: readonly PartedPartition[], geometry: DeviceGeometry, device: string): PlacedPartition[] {
  const { first, last } = usableSectors(geometry);
  const disk = `${device} (${geometry.sectors} sectors of ${geometry.sectorSize} bytes; a gpt table can use sectors ${first}-${last})`;
  const placed = partitions.map((partition, index): PlacedPartition => {
    const where = `partitions[${index}]`;
    const { start, size } = partition;
    if (start === undefined || size === undefined) throw new Error(`${where}: parted needs both "start" and "size" (in sectors)`);
    if (size < 1) throw new Error(`${where}.size ${size}: must be at least 1 sector`);
    if (start < first || start > last) throw new Error(`${where}.start ${start} is outside the usable sectors of ${disk}`);
    const end = start + size - 1;
    if (end > last) throw new Error(`${where} (start ${start}, size ${size}) ends at sector ${end}, past the end of ${disk}`);
    if (partition.name?.includes('"')) throw new Error(`${where}.name ${JSON.stringify(partition.name)}: parted cannot take a name with a double quote`);
    return { ...partition, start, size };
  });
  const spans = placed.map((p, index) => ({ where: `partitions[${index}]`, start: p.start, end: p.start + p.size - 1 })).sort((a, b) => a.start - b.start);
  for (let i = 1; i < spans.length; i++) {
    const [before, after] = [spans[i - 1]!, spans[i]!];
    if (after.start <= before.end) {
      throw new Error(`${before.where} (sectors ${before.start}-${before.end}) and ${after.where} (sectors ${after.start}-${after.end}) overlap`);
    }
  }
  return placed;
}

import type { DeviceGeometry } from '@osbuild-ts/plugin-kit';
import type { SfdiskPartition } from './sfdisk-options.js';

/** GPT keeps 128 entries of 128 bytes at each end of the disk, after/before a header sector. */
const GPT_ENTRIES_BYTES = 128 * 128;
/** dos tables store starts and sizes as 32-bit sector counts. */
const DOS_LIMIT = 2 ** 32;

/** The sectors partitions may use: gpt leaves its headers and entry arrays, dos the MBR sector. */
export function usableSectors(kind: 'dos' | 'gpt', geometry: DeviceGeometry): { first: number; last: number } {
  if (kind === 'dos') return { first: 1, last: Math.min(geometry.sectors, DOS_LIMIT) - 1 };
  const entries = Math.ceil(GPT_ENTRIES_BYTES / geometry.sectorSize);
  return { first: 2 + entries, last: geometry.sectors - 2 - entries };
}

/**
 * Refuses partitions that cannot fit the device or overlap each other, with
 * the sectors involved; sfdisk would say "Invalid argument" or "Sector N
 * already used". A start or size of 0 or none is sfdisk's to choose.
 */
export function checkLayout(kind: 'dos' | 'gpt', partitions: readonly SfdiskPartition[], geometry: DeviceGeometry, device: string): void {
  const { first, last } = usableSectors(kind, geometry);
  const disk = `${device} (${geometry.sectors} sectors of ${geometry.sectorSize} bytes; a ${kind} table can use sectors ${first}-${last})`;
  const spans: { where: string; start: number; end: number }[] = [];
  partitions.forEach((partition, index) => {
    const where = `partitions[${index}]`;
    for (const field of ['start', 'size'] as const) {
      const value = partition[field];
      if (value !== undefined && value < 0) throw new Error(`${where}.${field} ${value}: must not be negative`);
      if (kind === 'dos' && value !== undefined && value >= DOS_LIMIT) throw new Error(`${where}.${field} ${value}: a dos table cannot hold ${field}s of 2^32 sectors or more`);
    }
    const start = partition.start || undefined;
    const size = partition.size || undefined;
    if (start !== undefined && (start < first || start > last)) throw new Error(`${where}.start ${start} is outside the usable sectors of ${disk}`);
    if (size !== undefined && size > last - first + 1) throw new Error(`${where}.size ${size} is larger than the usable sectors of ${disk}`);
    if (start === undefined || size === undefined) return;
    const end = start + size - 1;
    if (end > last) throw new Error(`${where} (start ${start}, size ${size}) ends at sector ${end}, past the end of ${disk}`);
    spans.push({ where, start, end });
  });
  spans.sort((a, b) => a.start - b.start);
  for (let i = 1; i < spans.length; i++) {
    const [before, after] = [spans[i - 1]!, spans[i]!];
    if (after.start <= before.end) {
      throw new Error(`${before.where} (sectors ${before.start}-${before.end}) and ${after.where} (sectors ${after.start}-${after.end}) overlap`);
    }
  }
}

import { describe, expect, it } from 'vitest';
import { checkPartitions, usableSectors } from '../src/check-partitions.js';

const disk = { sectorSize: 512, sectors: 131072 };

describe('checkPartitions', () => {
  it('leaves gpt its headers and entry arrays', () => {
    expect(usableSectors(disk)).toEqual({ first: 34, last: 131038 });
    expect(usableSectors({ sectorSize: 4096, sectors: 16384 })).toEqual({ first: 6, last: 16378 });
  });

  it('passes partitions that fit', () => {
    expect(checkPartitions([{ start: 34, size: 100, name: 'a' }, { start: 134, size: 131038 - 133 }], disk, 'd')).toEqual([
      { start: 34, size: 100, name: 'a' },
      { start: 134, size: 130905 },
    ]);
  });

  it('says which partition lacks a place, does not fit, overlaps or has a name parted cannot quote', () => {
    const cases: [object[], string][] = [
      [[{ start: 2048 }], 'partitions[0]: parted needs both "start" and "size" (in sectors)'],
      [[{ start: 2048, size: 0 }], 'partitions[0].size 0: must be at least 1 sector'],
      [[{ start: 10, size: 10 }], 'partitions[0].start 10 is outside the usable sectors of d (131072 sectors of 512 bytes; a gpt table can use sectors 34-131038)'],
      [[{ start: 2048, size: 131072 }], 'partitions[0] (start 2048, size 131072) ends at sector 133119, past the end of d'],
      [[{ start: 2048, size: 100 }, { start: 2100, size: 100 }], 'partitions[0] (sectors 2048-2147) and partitions[1] (sectors 2100-2199) overlap'],
      [[{ start: 2048, size: 100, name: 'say "hi"' }], 'partitions[0].name "say \\"hi\\"": parted cannot take a name with a double quote'],
    ];
    for (const [partitions, message] of cases) expect(() => checkPartitions(partitions, disk, 'd')).toThrow(message);
  });
});

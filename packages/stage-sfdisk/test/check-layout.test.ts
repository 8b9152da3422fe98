import { describe, expect, it } from 'vitest';
import { checkLayout, usableSectors } from '../src/check-layout.js';

const disk = { sectorSize: 512, sectors: 131072 };

describe('usableSectors', () => {
  it('leaves gpt its headers and entry arrays at both ends, dos its MBR', () => {
    expect(usableSectors('gpt', disk)).toEqual({ first: 34, last: 131038 });
    expect(usableSectors('gpt', { sectorSize: 4096, sectors: 16384 })).toEqual({ first: 6, last: 16378 });
    expect(usableSectors('dos', disk)).toEqual({ first: 1, last: 131071 });
    expect(usableSectors('dos', { sectorSize: 512, sectors: 2 ** 33 })).toEqual({ first: 1, last: 2 ** 32 - 1 });
  });
});

describe('checkLayout', () => {
  it('accepts partitions that fit, and leaves unset starts and sizes to sfdisk', () => {
    expect(() => checkLayout('gpt', [{ start: 2048, size: 129000 - 2048 }, { start: 129000, size: 2039 }, { size: 10 }, {}], disk, '/dev/loop0')).not.toThrow();
  });

  it('refuses a partition past the end, naming it, its sectors and the device', () => {
    expect(() => checkLayout('gpt', [{ start: 2048, size: 999999999 }], disk, '/dev/loop0')).toThrow(
      'partitions[0].size 999999999 is larger than the usable sectors of /dev/loop0 (131072 sectors of 512 bytes; a gpt table can use sectors 34-131038)',
    );
    expect(() => checkLayout('gpt', [{ start: 2048, size: 2048 }, { start: 130000, size: 1040 }], disk, '/dev/loop0')).toThrow(
      'partitions[1] (start 130000, size 1040) ends at sector 131039, past the end of /dev/loop0',
    );
    expect(() => checkLayout('dos', [{ start: 131072 }], disk, 'disk.img')).toThrow('partitions[0].start 131072 is outside the usable sectors of disk.img');
    expect(() => checkLayout('gpt', [{ start: 33, size: 1 }], disk, 'disk.img')).toThrow('partitions[0].start 33 is outside');
  });

  it('refuses overlaps, negative numbers and dos numbers beyond 32 bits', () => {
    expect(() => checkLayout('dos', [{ start: 4096, size: 2048 }, { start: 2048, size: 2049 }], disk, 'd')).toThrow(
      'partitions[1] (sectors 2048-4096) and partitions[0] (sectors 4096-6143) overlap',
    );
    expect(() => checkLayout('dos', [{ start: -1 }], disk, 'd')).toThrow('partitions[0].start -1: must not be negative');
    expect(() => checkLayout('dos', [{ size: 2 ** 32 }], { sectorSize: 512, sectors: 2 ** 40 }, 'd')).toThrow('a dos table cannot hold sizes of 2^32 sectors or more');
  });
});

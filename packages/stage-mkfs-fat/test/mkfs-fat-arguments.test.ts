import { describe, expect, it } from 'vitest';
import { mkfsFatArguments } from '../src/mkfs-fat-arguments.js';

describe('mkfsFatArguments', () => {
  // Upstream's test_mkfs_fat_cmdline cases.
  it.each([
    [{}, []],
    [{ 'fat-size': 32 }, ['-F', '32']],
    [{ 'fat-size': 16 }, ['-F', '16']],
    [{ 'fat-size': 12 }, ['-F', '12']],
    [{ label: 'osbuild' }, ['-n', 'osbuild']],
    [{ geometry: { heads: 255, 'sectors-per-track': 63 } }, ['-g', '255/63']],
    [{ label: 'ESP', 'fat-size': 16, geometry: { heads: 64, 'sectors-per-track': 32 } }, ['-n', 'ESP', '-F', '16', '-g', '64/32']],
  ] as const)('maps %j as upstream does', (options, expected) => {
    expect(mkfsFatArguments({ volid: '2e24ec82', ...options }, '/dev/xxd1')).toEqual(['-I', '-i', '2e24ec82', ...expected, '/dev/xxd1']);
  });
});

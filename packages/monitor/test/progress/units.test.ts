import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatRate } from '../../src/progress/units.js';

describe('units', () => {
  it('formats bytes in IEC units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(12.3 * 1024 * 1024)).toBe('12.3 MiB');
  });

  it('formats durations', () => {
    expect(formatDuration(420)).toBe('0.42s');
    expect(formatDuration(125_000)).toBe('2m05s');
    expect(formatDuration(3_720_000)).toBe('1h02m');
  });

  it('formats a rate, or nothing before there is one', () => {
    expect(formatRate(2 * 1024 * 1024, 1000)).toBe('2.0 MiB/s');
    expect(formatRate(0, 1000)).toBe('');
    expect(formatRate(10, 0)).toBe('');
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pyFixed2, strftimeC } from '../src/py-format.js';

describe('pyFixed2', () => {
  it("formats like Python's f'{x:.2f}' (exact ties round half to even)", () => {
    // Expected values printed by python3.
    const cases: [number, string][] = [
      [0.125, '0.12'],
      [0.375, '0.38'],
      [0.625, '0.62'],
      [100.125, '100.12'],
      [2.675, '2.67'],
      [1.005, '1.00'],
      [3.005, '3.00'],
      [12.345, '12.35'],
      [0.115, '0.12'],
      [0.135, '0.14'],
      [0.045, '0.04'],
      [0.5, '0.50'],
      [0.00225, '0.00'],
      [0, '0.00'],
    ];
    for (const [x, text] of cases) expect(pyFixed2(x), String(x)).toBe(text);
  });
});

describe('strftimeC', () => {
  let tz: string | undefined;
  beforeEach(() => {
    tz = process.env.TZ;
    process.env.TZ = 'UTC';
  });
  afterEach(() => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  });

  it("formats like Python's strftime('%c') in the C locale, day padded with a space", () => {
    expect(strftimeC(0n)).toBe('Thu Jan  1 00:00:00 1970');
    expect(strftimeC(1700000000n)).toBe('Tue Nov 14 22:13:20 2023');
    expect(strftimeC(-1n)).toBe('Wed Dec 31 23:59:59 1969');
  });

  it('uses local time', () => {
    process.env.TZ = 'Asia/Kolkata';
    expect(strftimeC(0n)).toBe('Thu Jan  1 05:30:00 1970');
  });
});

import { describe, expect, it } from 'vitest';
import { pyFloatRepr } from '../../src/json/float-repr.js';
import { cases } from './fixtures.js';

function fromBits(hex: string): number {
  return new DataView(Uint8Array.from(Buffer.from(hex, 'hex')).buffer).getFloat64(0, true);
}

describe('pyFloatRepr', () => {
  it.each([
    [1, '1.0'],
    [100, '100.0'],
    [0.0001, '0.0001'],
    [1e-5, '1e-05'],
    [1.5e-7, '1.5e-07'],
    [1e15, '1000000000000000.0'],
    [1e16, '1e+16'],
    [123456789.125, '123456789.125'],
    [1e100, '1e+100'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [0, '0.0'],
    [-0, '-0.0'],
    [-2.5, '-2.5'],
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    [-Infinity, '-Infinity'],
    [9007199254740993, '9007199254740992.0'],
    [123456789012345680000, '1.2345678901234568e+20'],
  ])('%s → %s', (value, expected) => {
    expect(pyFloatRepr(value)).toBe(expected);
  });

  it(`matches Python's repr for ${cases.floats.length} doubles (random bit patterns and boundaries)`, () => {
    const wrong = cases.floats.filter(([bits, expected]) => pyFloatRepr(fromBits(bits)) !== expected);
    expect(wrong).toEqual([]);
  });
});

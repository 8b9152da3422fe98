import { describe, expect, it } from 'vitest';
import { fromPlain, toPlain } from '../../src/json/plain.js';
import { parsePyJson } from '../../src/json/parse.js';

describe('toPlain', () => {
  it('turns Maps into plain objects and bigints into numbers', () => {
    expect(toPlain(parsePyJson('{"a": [1, 2.5, {"b": null}], "c": true}'))).toEqual({ a: [1, 2.5, { b: null }], c: true });
  });

  it('keeps a "__proto__" key as an own, enumerable property', () => {
    const plain = toPlain(parsePyJson('{"__proto__": {"polluted": 1}, "x": 2}')) as Record<string, unknown>;
    expect(Object.keys(plain)).toEqual(['__proto__', 'x']);
    expect(Object.getPrototypeOf(plain)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(plain, '__proto__')?.value).toEqual({ polluted: 1 });
  });
});

describe('fromPlain', () => {
  it('makes integral numbers ints and the rest floats', () => {
    expect(fromPlain({ a: 1, b: 1.5, c: [null, 'x', true, -0, NaN] })).toEqual(
      new Map<string, unknown>([
        ['a', 1n],
        ['b', 1.5],
        ['c', [null, 'x', true, 0n, NaN]],
      ]),
    );
  });

  it('skips undefined members like JSON.stringify and keeps bigints', () => {
    expect(fromPlain({ a: undefined, b: 2n, c: [undefined] })).toEqual(
      new Map<string, unknown>([
        ['b', 2n],
        ['c', [null]],
      ]),
    );
  });

  it('refuses functions and symbols', () => {
    expect(() => fromPlain(() => 1)).toThrow(TypeError);
  });
});

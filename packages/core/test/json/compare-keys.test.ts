import { describe, expect, it } from 'vitest';
import { compareCodePoints } from '../../src/json/compare-keys.js';

const sign = (n: number) => (n === 0 ? 0 : Math.sign(n));

describe('compareCodePoints', () => {
  it.each([
    ['10', '9', -1],
    ['9', 'A', -1],
    ['A', 'a', -1],
    ['', 'a', -1],
    ['a', 'a', 0],
    ['\ue000', '\uffff', -1],
    ['\uffff', '😀', -1],
    ['😀', '😁', -1],
    ['a😀', 'a\uffff', 1],
    // Lone surrogates count as their own code points, below U+E000.
    ['\ud83d', '\ue000', -1],
    ['\ud83d\ue000', '\ud83d\ude00', -1],
    ['\ud83dA', '\ud83dB', -1],
    ['\ud83d\ud83d\ude00', '\ud83dA', 1],
    ['\udc00', '\ud800\udc00', -1],
  ])('%j vs %j', (a, b, expected) => {
    expect(sign(compareCodePoints(a, b))).toBe(expected);
    expect(sign(compareCodePoints(b, a))).toBe(expected === 0 ? 0 : -expected);
  });
});

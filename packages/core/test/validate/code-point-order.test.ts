import { expect, test } from 'vitest';
import { compareCodePoints } from '../../src/validate/code-point-order.js';

test('orders like Python: by code point, not UTF-16 unit', () => {
  const keys = ['😀', '\uffff', 'a', '\ue000', '10', '9', 'A', ''];
  expect([...keys].sort(compareCodePoints)).toEqual(['', '10', '9', 'A', 'a', '\ue000', '\uffff', '😀']);
  expect(compareCodePoints('ab', 'a')).toBeGreaterThan(0);
  expect(compareCodePoints('x', 'x')).toBe(0);
});

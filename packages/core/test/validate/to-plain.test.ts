import { expect, test } from 'vitest';
import { toPlain } from '../../src/validate/to-plain.js';

test('Maps become objects in order, ints become numbers', () => {
  const plain = toPlain(new Map<string, never>([['b', 1n as never], ['10', [2.5, null, true] as never], ['a', new Map() as never]]));
  expect(plain).toEqual({ b: 1, 10: [2.5, null, true], a: {} });
});

test('__proto__ is an own key, not a prototype', () => {
  const plain = toPlain(new Map([['__proto__', new Map([['polluted', true]])]])) as Record<string, unknown>;
  expect(Object.keys(plain)).toEqual(['__proto__']);
  expect(Object.getPrototypeOf(plain)).toBe(Object.prototype);
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
});

/**
 * Bridges between the lossless model and plain JS values, for tools such as
 * ajv that only understand plain objects. Both directions lose something on
 * purpose: `toPlain` drops the int/float distinction and big-int precision,
 * `fromPlain` cannot know whether `1` was written `1` or `1.0`.
 */
import type { PyJson } from './types.js';

export type Plain = null | boolean | string | number | Plain[] | { [key: string]: Plain };

/** PyJson → plain JS: Map → object (a `__proto__` key stays an own property), bigint → number. */
export function toPlain(value: PyJson): Plain {
  if (value === null || typeof value !== 'object') {
    return typeof value === 'bigint' ? Number(value) : value;
  }
  if (Array.isArray(value)) return value.map(toPlain);
  const out: { [key: string]: Plain } = {};
  for (const [key, member] of value) {
    if (key === '__proto__') {
      // Assignment would call the prototype setter instead of adding a member.
      Object.defineProperty(out, key, { value: toPlain(member), enumerable: true, writable: true, configurable: true });
    } else {
      out[key] = toPlain(member);
    }
  }
  return out;
}

/**
 * Plain JS → PyJson: integral numbers become ints (bigint), other numbers
 * floats; objects become Maps in `Object.keys` order. `undefined` members are
 * skipped and `undefined` array items become null, as `JSON.stringify` does.
 */
export function fromPlain(value: unknown): PyJson {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'bigint':
      return value;
    case 'number':
      return Number.isInteger(value) ? BigInt(value) : value;
    case 'undefined':
      return null;
    case 'object': {
      if (value === null) return null;
      if (Array.isArray(value)) return value.map(fromPlain);
      if (value instanceof Map) {
        const map = new Map<string, PyJson>();
        for (const [key, member] of value) if (member !== undefined) map.set(String(key), fromPlain(member));
        return map;
      }
      const map = new Map<string, PyJson>();
      for (const key of Object.keys(value)) {
        const member = (value as Record<string, unknown>)[key];
        if (member !== undefined) map.set(key, fromPlain(member));
      }
      return map;
    }
    default:
      throw new TypeError(`fromPlain: a ${typeof value} has no JSON form`);
  }
}

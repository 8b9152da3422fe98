import type { PyJson } from '../json/types.js';

/**
 * PyJson → the plain values ajv validates. Keys become own properties even
 * when named `__proto__` (assignment would set the prototype instead), and
 * ints become numbers: schemas compare against JS numbers, and the
 * int/float distinction is not visible to them (see validate-manifest.ts for
 * the one place where upstream's draft-4 "1.0 is not an integer" matters).
 */
export function toPlain(value: PyJson): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [key, member] of value) {
      if (key === '__proto__') {
        Object.defineProperty(out, key, { value: toPlain(member), enumerable: true, writable: true, configurable: true });
      } else {
        out[key] = toPlain(member);
      }
    }
    return out;
  }
  if (Array.isArray(value)) return value.map(toPlain);
  return value;
}

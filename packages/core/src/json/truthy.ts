import type { PyJson } from './types.js';

/**
 * Python's truth value of a JSON value: null, false, 0, 0.0, "", [] and {}
 * are false, everything else (NaN included) true. osbuild tests option
 * values this way (`if options:`), which decides what is printed and hashed.
 */
export function pyTruthy(value: PyJson | undefined): boolean {
  if (value === null || value === undefined) return false;
  switch (typeof value) {
    case 'boolean':
      return value;
    case 'string':
      return value.length > 0;
    case 'bigint':
      return value !== 0n;
    case 'number':
      return value !== 0;
    default:
      return Array.isArray(value) ? value.length > 0 : value.size > 0;
  }
}

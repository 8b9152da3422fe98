import { OsbuildError } from '../errors.js';
import { formatJsonPath } from '../json/path.js';
import type { JsonPath, PyJson } from '../json/types.js';

/** The one error a loader throws: names the JSON path and what was expected there. */
export function invalid(path: JsonPath, message: string): OsbuildError {
  return new OsbuildError('E_MANIFEST_INVALID', `${formatJsonPath(path)}: ${message}`, {
    details: { path: [...path] },
  });
}

/** "an object", "a string", … for "expected X, got Y" messages. */
export function kindOf(value: PyJson | undefined): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Map) return 'an object';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'bigint':
      return 'an integer';
    case 'number':
      return 'a number';
    default:
      return 'a boolean';
  }
}

/** A value quoted for a message; JSON quoting keeps non-ASCII readable. */
export function quote(value: string): string {
  return JSON.stringify(value);
}

export function quoteList(values: Iterable<string>): string {
  return [...values].map(quote).join(', ');
}

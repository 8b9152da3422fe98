/**
 * Typed reads from parsed JSON that turn a wrong shape into a load error
 * naming the path, instead of a TypeError later. Schema validation normally
 * catches these first; the loader must still never crash on odd input.
 */
import type { JsonPath, PyJson, PyObject } from '../json/types.js';
import { invalid, kindOf } from './invalid.js';

export function asObject(value: PyJson | undefined, path: JsonPath): PyObject {
  if (value instanceof Map) return value;
  throw invalid(path, `expected an object, got ${kindOf(value)}`);
}

export function asArray(value: PyJson | undefined, path: JsonPath): PyJson[] {
  if (Array.isArray(value)) return value;
  throw invalid(path, `expected an array, got ${kindOf(value)}`);
}

export function asString(value: PyJson | undefined, path: JsonPath): string {
  if (typeof value === 'string') return value;
  throw invalid(path, `expected a string, got ${kindOf(value)}`);
}

export function requiredString(obj: PyObject, key: string, path: JsonPath): string {
  if (!obj.has(key)) throw invalid([...path, key], 'is required (a string)');
  return asString(obj.get(key), [...path, key]);
}

export function optionalString(obj: PyObject, key: string, path: JsonPath): string | undefined {
  return obj.has(key) ? asString(obj.get(key), [...path, key]) : undefined;
}

export function optionalObject(obj: PyObject, key: string, path: JsonPath): PyObject | undefined {
  return obj.has(key) ? asObject(obj.get(key), [...path, key]) : undefined;
}

export function optionalArray(obj: PyObject, key: string, path: JsonPath): PyJson[] | undefined {
  return obj.has(key) ? asArray(obj.get(key), [...path, key]) : undefined;
}

/** An `options`-like member: `{}` when absent. */
export function objectOrEmpty(obj: PyObject, key: string, path: JsonPath): PyObject {
  return optionalObject(obj, key, path) ?? new Map();
}

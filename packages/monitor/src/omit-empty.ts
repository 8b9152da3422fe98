import type { PyObject } from '@osbuild-ts/core';

/**
 * osbuild's `omitempty`: drop members that are null or `""`, recursing into
 * objects but not into lists (a `results` item keeps its `"error": ""`).
 * Objects left empty stay (`"pipeline": {"stage": {}}`). Returns a copy.
 */
export function omitEmpty(object: PyObject): PyObject {
  const out: PyObject = new Map();
  for (const [key, value] of object) {
    if (value === null || value === '') continue;
    out.set(key, value instanceof Map ? omitEmpty(value) : value);
  }
  return out;
}


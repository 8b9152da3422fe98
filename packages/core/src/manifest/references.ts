/**
 * Input references in their three written forms (spec 1.4) → one ordered
 * ref → options map, as a Python dict would hold them: a repeated ref keeps
 * its first position and takes its last options.
 */
import type { JsonPath, PyJson } from '../json/types.js';
import { invalid, kindOf } from './invalid.js';

export function normaliseReferences(value: PyJson | undefined, path: JsonPath): Map<string, PyJson> {
  const refs = new Map<string, PyJson>();
  if (value === undefined) return refs;
  if (value instanceof Map) {
    for (const [ref, options] of value) refs.set(ref, options);
    return refs;
  }
  if (!Array.isArray(value)) {
    throw invalid(path, `expected an array or an object, got ${kindOf(value)}`);
  }
  value.forEach((item, index) => {
    if (typeof item === 'string') {
      refs.set(item, new Map());
    } else if (item instanceof Map) {
      const id = item.get('id');
      if (typeof id !== 'string') throw invalid([...path, index, 'id'], `expected a string, got ${kindOf(id)}`);
      refs.set(id, item.get('options') ?? new Map());
    } else {
      throw invalid([...path, index], `expected a string or an object with "id", got ${kindOf(item)}`);
    }
  });
  return refs;
}

/**
 * osbuild's hashing: lowercase hex SHA-256 over the concatenation (no
 * separators) of `json.dumps(x, sort_keys=True)` texts (spec 3).
 */
import { createHash } from 'node:crypto';
import { dumpsPy } from './dumps.js';
import type { PyJson } from './types.js';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** sha256 hex of `D(v1) D(v2) …` with sorted keys. */
export function hashPy(...values: PyJson[]): string {
  const hash = createHash('sha256');
  // py-json output is pure ASCII, so 'latin1' is the same bytes and cheaper.
  for (const value of values) hash.update(dumpsPy(value, { sortKeys: true }), 'latin1');
  return hash.digest('hex');
}

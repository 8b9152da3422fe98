import type { JsonPath } from '../json/types.js';

/**
 * osbuild's own rendering of a path (osbuild/meta.py ValidationError.id):
 * `.` for the root, `.key` per key — quoted as `.'key'` only when it holds a
 * space — and `[n]` per index. Errors are sorted by this string, so it must
 * match byte for byte.
 */
export function formatDottedPath(path: JsonPath): string {
  if (path.length === 0) return '.';
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += part.includes(' ') ? `.'${part}'` : `.${part}`;
  }
  return out;
}

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/**
 * The human rendering: `pipelines[1].stages[3].options.packages`. Keys that
 * are not simple words (module names, checksums, paths) are bracketed and
 * quoted so they cannot be misread as nesting.
 */
export function formatManifestPath(path: JsonPath): string {
  if (path.length === 0) return '(top level)';
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (PLAIN_KEY.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

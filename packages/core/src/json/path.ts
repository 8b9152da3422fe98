import type { JsonPath } from './types.js';

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/**
 * A JSON path as people read it in messages: `pipelines[2].stages[0].options`,
 * with keys that are not plain names quoted: `sources["org.osbuild.curl"]`.
 */
export function formatJsonPath(path: JsonPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (PLAIN_KEY.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out === '' ? '(top level)' : out;
}

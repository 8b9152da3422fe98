import { OsbuildError } from '../errors.js';
import type { PyJson } from '../json/types.js';
import type { ManifestVersion } from './model.js';
import { invalid, kindOf } from './invalid.js';

/**
 * The manifest format (spec 1.1): no `version` → 1, `"2"` → 2. Like
 * upstream, `"1"` also selects v1 (whose schema then rejects the key);
 * anything else is unsupported.
 */
export function detectVersion(doc: PyJson): ManifestVersion {
  if (!(doc instanceof Map)) throw invalid([], `a manifest is a JSON object, got ${kindOf(doc)}`);
  if (!doc.has('version')) return 1;
  const version = doc.get('version');
  if (version === '1') return 1;
  if (version === '2') return 2;
  const found = typeof version === 'bigint' ? Number(version) : (version ?? null);
  throw new OsbuildError('E_MANIFEST_FORMAT', `Unsupported manifest format: "version" is ${describeVersion(version)}`, {
    hint: 'osbuild reads format 1 (no "version" key) and format 2 ("version": "2", a string).',
    details: { version: found },
  });
}

function describeVersion(version: PyJson | undefined): string {
  if (typeof version === 'bigint' || typeof version === 'number') return `the number ${String(version)}${Number(version) === 2 ? ' (write the string "2")' : ''}`;
  if (typeof version === 'string') return JSON.stringify(version);
  return kindOf(version ?? null);
}

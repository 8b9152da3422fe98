import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ValidatorRequest } from './validator-bundle.js';

/**
 * The manifest structure schema (schemas/manifest-v1.schema.json or
 * manifest-v2.schema.json — the same relative location from src/ and dist/),
 * compiled under the name `manifest`.
 */
export function manifestValidatorRequest(version: '1' | '2'): ValidatorRequest {
  const file = fileURLToPath(new URL(`../../schemas/manifest-v${version}.schema.json`, import.meta.url));
  const st = statSync(file, { bigint: true });
  return {
    identity: ['manifest', version, file, `${st.ino}:${st.mtimeNs}:${st.size}`],
    schemas: () => ({ manifest: JSON.parse(readFileSync(file, 'utf8')) as object }),
  };
}

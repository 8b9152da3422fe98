import type { PyJson, PyObject } from '../json/types.js';
import { detectVersion } from './detect-version.js';
import { loadV1 } from './load-v1.js';
import { loadV2 } from './load-v2.js';
import type { LoadOptions, Manifest, Runner } from './model.js';
import { explainUnresolvedRunner, hostRunner as detectHostRunner, resolveRunner } from './runners.js';
import { OsbuildError } from '../errors.js';

/**
 * Loads a parsed manifest (v1 or v2) into the normalised model with all ids
 * computed. Expects a document that passed schema validation, but checks
 * every shape it relies on: problems are `E_MANIFEST_INVALID` errors naming
 * the JSON path, never TypeErrors.
 */
export function loadManifest(doc: PyJson, options: LoadOptions = {}): Manifest {
  const version = detectVersion(doc);
  const host = memoHostRunner(options.hostRunner);
  return version === 1 ? loadV1(doc as PyObject, host) : loadV2(doc as PyObject, host);
}

/** The host runner is named after its file (Debian 12 → `org.osbuild.debian`); resolved once, when needed. */
function memoHostRunner(requested: string | undefined): () => Runner {
  let runner: Runner | undefined;
  return () => {
    if (runner !== undefined) return runner;
    let file: string;
    if (requested === undefined) {
      file = detectHostRunner();
    } else {
      const resolved = resolveRunner(requested);
      if (resolved === undefined) {
        throw new OsbuildError('E_SANDBOX', `The host runner cannot be used: ${explainUnresolvedRunner(requested)}`, {
          details: { requested },
        });
      }
      file = resolved;
    }
    runner = { name: file, file };
    return runner;
  };
}

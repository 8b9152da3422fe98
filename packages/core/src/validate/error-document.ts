import type { PyJson, PyObject } from '../json/types.js';
import type { ValidationIssue } from './types.js';
import { sortIssues } from './sort-issues.js';

// An identifier, not a location: spec 1.7 requires this exact string in the
// document (osbuild/meta.py FAILED_TYPEURI); nothing is ever fetched from it.
const FAILED_TYPE = 'https://osbuild.org/validation-error';
const FAILED_TITLE = 'JSON Schema validation failed';

/**
 * The one-line document `--inspect`/`--json` print on invalid manifests, as
 * PyJson so the caller's py-json serialiser reproduces osbuild's bytes:
 * `{"type", "title", "success": false, "errors": [{"message", "path"}]}`.
 * Path indices are ints (bigint); the plugin name is not part of the shape.
 */
export function validationErrorDocument(issues: Iterable<ValidationIssue>): PyObject {
  const errors: PyJson[] = sortIssues(issues).map(
    (issue) =>
      new Map<string, PyJson>([
        ['message', issue.message],
        ['path', issue.path.map((part) => (typeof part === 'number' ? BigInt(part) : part))],
      ]),
  );
  return new Map<string, PyJson>([
    ['type', FAILED_TYPE],
    ['title', FAILED_TITLE],
    ['success', false],
    ['errors', errors],
  ]);
}

/**
 * One error hierarchy for the whole project. Callers branch on `code`, never
 * on message text; the CLI maps codes to exit statuses in one table.
 */

const TAG = Symbol.for('osbuild-ts.error');

export type ErrorCode =
  | 'E_USAGE' // bad command line
  | 'E_NOT_IMPLEMENTED' // a flag or feature that a later release brings
  | 'E_MANIFEST_JSON' // the manifest is not JSON
  | 'E_MANIFEST_FORMAT' // unsupported manifest version
  | 'E_MANIFEST_INVALID' // schema or structural error, with JSON paths
  | 'E_EXPORT_NOT_FOUND' // --export names no pipeline
  | 'E_CHECKPOINT_UNMATCHED' // --checkpoint matched nothing
  | 'E_PLUGIN_DISCOVERY' // a package's `osbuild` field is broken
  | 'E_PLUGIN_CONFLICT' // two packages claim one module name
  | 'E_PLUGIN_UNKNOWN' // no installed plugin has that name
  | 'E_TOOL_MISSING' // a host or build-root tool is not installed
  | 'E_HOST_UNSUPPORTED' // this host cannot do what the manifest asks (a kernel without a mount's file system)
  | 'E_HOST_SERVICE' // a device or mount host service failed to set up or tear down
  | 'E_SANDBOX' // the sandbox could not be set up
  | 'E_SOURCE_FETCH' // a source item could not be fetched
  | 'E_SOURCE_VERIFY' // fetched bytes do not match their checksum
  | 'E_STAGE_FAILED' // a stage exited non-zero
  | 'E_STAGE_TIMEOUT' // a stage ran longer than --stage-timeout
  | 'E_STORE' // the object store is unusable
  | 'E_LOCK' // a lock file is missing, stale (--locked) or unreadable, or a stage's resolver failed
  | 'E_INTERRUPTED' // SIGINT/SIGTERM stopped the build (the CLI exits 128 + signal number)
  | 'E_INTERNAL'; // a bug: please report it

export interface OsbuildErrorOptions {
  /** What the user can do about it, one sentence. */
  hint?: string;
  /** Structured facts for `--json` and for tests. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class OsbuildError extends Error {
  readonly [TAG] = true;
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: OsbuildErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OsbuildError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details ?? {};
  }
}

/** Tag check instead of `instanceof`: two copies of core must still agree. */
export function isOsbuildError(value: unknown): value is OsbuildError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[TAG] === true;
}

const EXIT_STATUS: Record<ErrorCode, number> = {
  E_USAGE: 2,
  E_NOT_IMPLEMENTED: 1,
  E_MANIFEST_JSON: 2,
  E_MANIFEST_FORMAT: 2,
  E_MANIFEST_INVALID: 2,
  E_EXPORT_NOT_FOUND: 1,
  E_CHECKPOINT_UNMATCHED: 1,
  E_PLUGIN_DISCOVERY: 1,
  E_PLUGIN_CONFLICT: 1,
  E_PLUGIN_UNKNOWN: 2,
  E_TOOL_MISSING: 1,
  E_HOST_UNSUPPORTED: 2,
  E_HOST_SERVICE: 1,
  E_SANDBOX: 1,
  E_SOURCE_FETCH: 1,
  E_SOURCE_VERIFY: 1,
  E_STAGE_FAILED: 1,
  E_STAGE_TIMEOUT: 1,
  E_STORE: 1,
  E_LOCK: 1,
  E_INTERRUPTED: 130,
  E_INTERNAL: 1,
};

/** The process exit status for an error; unknown errors are failures (1). */
export function exitStatusFor(error: unknown): number {
  return isOsbuildError(error) ? EXIT_STATUS[error.code] : 1;
}

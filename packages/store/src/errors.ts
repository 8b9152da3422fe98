/**
 * Store errors. Shaped like core's `OsbuildError` (same tag symbol, `code`,
 * `hint`, `details`) so that core's `isOsbuildError`/`exitStatusFor` already
 * recognise them; the lead may switch this file to re-export core's class.
 */

const TAG = Symbol.for('osbuild-ts.error');

export type StoreErrorCode = 'E_STORE' | 'E_SOURCE_VERIFY';

/**
 * Why the store failed, for callers that react differently:
 * `missing` (an object vanished or was never there: rebuild it),
 * `busy` (a tree could not be unmounted: a process still uses it),
 * `mount` (a mount or umount command failed), `layout` (the store on disk is
 * unusable), `usage` (a bad argument from the caller), `damaged` (a committed
 * object changed on disk since its commit: drop it and rebuild),
 * `space` (the file system is full).
 */
export type StoreErrorReason = 'missing' | 'busy' | 'mount' | 'layout' | 'usage' | 'verify' | 'damaged' | 'space';

export interface StoreErrorOptions {
  hint?: string;
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class StoreError extends Error {
  readonly [TAG] = true;
  readonly code: StoreErrorCode;
  readonly reason: StoreErrorReason;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown>;

  constructor(code: StoreErrorCode, reason: StoreErrorReason, message: string, options: StoreErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StoreError';
    this.code = code;
    this.reason = reason;
    this.hint = options.hint;
    this.details = { reason, ...options.details };
  }
}

export function storeError(reason: StoreErrorReason, message: string, options?: StoreErrorOptions): StoreError {
  return new StoreError('E_STORE', reason, message, options);
}

export function isStoreError(value: unknown, reason?: StoreErrorReason): value is StoreError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[TAG] === true &&
    (reason === undefined || (value as StoreError).reason === reason)
  );
}

/** The errno code of a Node system error, or undefined. */
export function errnoOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

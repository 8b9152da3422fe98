/**
 * The subset of core's error hierarchy the sandbox raises. Core's index is not
 * importable yet; this mirrors packages/core/src/errors.ts (same tag symbol, so
 * core's `isOsbuildError` accepts these) until the lead switches the imports.
 */

const TAG = Symbol.for('osbuild-ts.error');

export type SandboxErrorCode = 'E_SANDBOX' | 'E_TOOL_MISSING' | 'E_STAGE_TIMEOUT';

export interface OsbuildErrorOptions {
  /** What the user can do about it, one sentence. */
  hint?: string;
  /** Structured facts for `--json` and for tests. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class OsbuildError extends Error {
  readonly [TAG] = true;
  readonly code: SandboxErrorCode;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown>;

  constructor(code: SandboxErrorCode, message: string, options: OsbuildErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OsbuildError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details ?? {};
  }
}

/** Tag check instead of `instanceof`: two copies of the package must still agree. */
export function isOsbuildError(value: unknown): value is OsbuildError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[TAG] === true;
}

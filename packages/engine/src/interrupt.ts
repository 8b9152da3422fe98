/**
 * Stopping a build on SIGINT/SIGTERM (an AbortSignal from the caller): the
 * running stages' sandboxes are killed at once (their devices, mounts and
 * layers are then torn down by the ordinary failure paths), nothing new
 * starts, and the build ends with one E_INTERRUPTED error naming what was
 * running. Committed objects stay; the half-built layers are discarded.
 */
import { OsbuildError, isOsbuildError } from '@osbuild-ts/core';
import type { Runner } from '@osbuild-ts/sandbox';

export interface Interrupt {
  readonly signal: AbortSignal | undefined;
  /** A stage's sandbox is running: killed if the build is interrupted. */
  running(what: string, runner: Runner): () => void;
  /** Throws E_INTERRUPTED if the build was interrupted. */
  check(): void;
  /** The E_INTERRUPTED error (or null if not interrupted). */
  error(cause?: unknown): OsbuildError | null;
}

export function createInterrupt(signal: AbortSignal | undefined): Interrupt {
  const active = new Map<Runner, string>();
  const stopped: string[] = [];
  signal?.addEventListener(
    'abort',
    () => {
      for (const [runner, what] of active) {
        stopped.push(what);
        void runner.dispose().catch(() => undefined);
      }
    },
    { once: true },
  );
  const error = (cause?: unknown): OsbuildError | null => {
    if (signal?.aborted !== true) return null;
    if (isOsbuildError(cause) && cause.code === 'E_INTERRUPTED') return cause;
    const name = typeof signal.reason === 'string' ? signal.reason : 'a signal';
    const what = stopped.length > 0 ? `; stopped ${stopped.join(', ')}` : '';
    return new OsbuildError('E_INTERRUPTED', `interrupted by ${name}${what}; everything committed before stays in the store`, {
      details: { signal: name, interrupted: [...stopped] },
      ...(cause === undefined ? {} : { cause }),
    });
  };
  return {
    signal,
    running(what, runner) {
      if (signal?.aborted === true) {
        stopped.push(what);
        void runner.dispose().catch(() => undefined);
      }
      active.set(runner, what);
      return () => active.delete(runner);
    },
    check() {
      const interrupted = error();
      if (interrupted !== null) throw interrupted;
    },
    error,
  };
}

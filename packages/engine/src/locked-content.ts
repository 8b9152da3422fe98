import type { Stage } from '@osbuild-ts/core';

/**
 * Content a stage receives beyond what its manifest entry says: the inputs
 * the CLI adds from a lock file (packages/cli/src/lock). Its digest enters
 * the stage's cache key, never its object id, so `--inspect` shows the ids
 * of the manifest as written while a new lock never reuses an old tree.
 */
const locked = new WeakMap<Stage, string>();

export function setLockedContent(stage: Stage, digest: string): void {
  locked.set(stage, digest);
}

export function lockedContent(stage: Stage): string | undefined {
  return locked.get(stage);
}

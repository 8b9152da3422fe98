import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { OsbuildError } from '@osbuild-ts/core';

export const LOCK_FORMAT = 'osbuild-ts.lock.1';

/** One resolved stage of the manifest. */
export interface LockEntry {
  pipeline: string;
  index: number;
  type: string;
  /** Digest of what was resolved: the stage's type and options and the requests before it in the pipeline. */
  request: string;
  inputs: Record<string, unknown>;
  sources: Record<string, Record<string, unknown>>;
  state?: unknown;
  /** dpkg architectures whose binaries the stage runs (binfmt for foreign ones). */
  architectures?: string[];
}

export interface LockFile {
  format: typeof LOCK_FORMAT;
  stages: LockEntry[];
}

/** `dir/name.json` → `dir/name.lock.json`; other names get `.lock.json` appended. */
export function defaultLockPath(manifestPath: string): string {
  return manifestPath.endsWith('.json') ? `${manifestPath.slice(0, -'.json'.length)}.lock.json` : `${manifestPath}.lock.json`;
}

export function readLock(path: string): LockFile | undefined {
  if (!existsSync(path)) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new OsbuildError('E_LOCK', `the lock file ${path} is not JSON: ${(error as Error).message}`, {
      hint: 'delete it or rebuild with --update-lock',
    });
  }
  const lock = doc as Partial<LockFile> | null;
  if (!lock || lock.format !== LOCK_FORMAT || !Array.isArray(lock.stages)) {
    throw new OsbuildError('E_LOCK', `${path} is not an osbuild-ts lock file (expected "format": "${LOCK_FORMAT}")`, {
      hint: 'delete it or rebuild with --update-lock',
    });
  }
  return lock as LockFile;
}

/** Written whole or not at all: a temporary file renamed over the old one. */
export function writeLock(path: string, lock: LockFile): void {
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, `${JSON.stringify(lock, null, 2)}\n`);
  renameSync(temporary, path);
}

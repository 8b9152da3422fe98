import { createHash } from 'node:crypto';
import { OsbuildError, loadManifest, parsePyJson, type Manifest, type Registry } from '@osbuild-ts/core';
import { LOCK_FORMAT, defaultLockPath, readLock, writeLock, type LockEntry, type LockFile } from './lock-file.js';
import { resolvableStages, resolveStages, type ResolvableStage } from './resolve-stages.js';

export interface LockOptions {
  /** The manifest's file name ('-' for stdin). */
  manifestPath: string;
  /** The manifest text as read. */
  text: string;
  /** `--lock FILE`; default beside the manifest. */
  lockPath: string | undefined;
  /** `--update-lock`: resolve again even if the lock is current. */
  update: boolean;
  /** `--locked`: never resolve; a missing or stale lock is an error. */
  locked: boolean;
  /** `--offline`: resolving needs the network, so it is refused like `--locked`. */
  offline: boolean;
  log: (line: string) => void;
}

export interface LockOutcome {
  path: string;
  /** Whether the stages were resolved in this run (and the lock written). */
  resolved: boolean;
  entries: LockEntry[];
}

/** Why a lock does not fit the manifest, or null when it does. */
function staleness(lock: LockFile, stages: readonly ResolvableStage[]): string | null {
  const have = new Map(lock.stages.map((e) => [`${e.pipeline}/${e.index}`, e]));
  for (const stage of stages) {
    const entry = have.get(`${stage.pipeline}/${stage.index}`);
    const where = `pipeline ${stage.pipeline}, stage ${stage.index + 1} (${stage.type})`;
    if (!entry) return `it has nothing for ${where}`;
    if (entry.type !== stage.type || entry.request !== stage.request) return `${where} changed since it was locked`;
    have.delete(`${stage.pipeline}/${stage.index}`);
  }
  const extra = [...have.values()][0];
  if (extra) return `it locks pipeline ${extra.pipeline}, stage ${extra.index + 1} (${extra.type}), which the manifest no longer has`;
  return null;
}

function digest(entry: LockEntry): string {
  return createHash('sha256').update(JSON.stringify({ inputs: entry.inputs, sources: entry.sources })).digest('hex');
}

/**
 * Resolves the manifest's resolvable stages (or reads them from the lock
 * file), then gives `manifest` the locked inputs and source items. Object
 * ids stay those of the manifest as written; each resolved stage's cache key
 * gets the digest of what it was locked to (engine `setLockedContent`).
 * Does nothing for a manifest without resolvable stages.
 */
export async function lockManifest(manifest: Manifest, registry: Registry, options: LockOptions): Promise<LockOutcome | null> {
  const stages = resolvableStages(manifest, registry);
  if (stages.length === 0) return null;
  if (manifest.version !== 2) {
    throw new OsbuildError('E_LOCK', `${stages[0]!.type} needs a version 2 manifest: its resolver adds inputs, which v1 stages do not have`, {
      hint: 'rewrite the manifest as v2 (osbuild convert MANIFEST)',
    });
  }
  const path = options.lockPath ?? (options.manifestPath === '-' ? undefined : defaultLockPath(options.manifestPath));
  if (path === undefined) throw new OsbuildError('E_USAGE', 'a manifest read from stdin needs --lock FILE for its resolved stages');

  const existing = options.update ? undefined : readLock(path);
  const stale = existing === undefined ? (options.update ? 'an update was asked for' : 'it does not exist') : staleness(existing, stages);
  let entries: LockEntry[];
  let resolved = false;
  if (existing !== undefined && stale === null) {
    entries = existing.stages;
  } else if (options.locked || options.offline) {
    const flag = options.locked ? '--locked' : '--offline';
    throw new OsbuildError('E_LOCK', `the lock file ${path} cannot be used: ${stale}; with ${flag} osbuild does not resolve ${stages.map((s) => s.type).join(', ')} again`, {
      hint: `build once without ${flag} (or with --update-lock) to write the lock`,
    });
  } else {
    entries = await resolveStages(stages, options.log);
    writeLock(path, { format: LOCK_FORMAT, stages: entries });
    options.log(`wrote ${path}`);
    resolved = true;
  }
  await applyEntries(manifest, options.text, entries);
  return { path, resolved, entries };
}

/** Adds the locked inputs and source items to `manifest` (object ids unchanged). */
async function applyEntries(manifest: Manifest, text: string, entries: readonly LockEntry[]): Promise<void> {
  // The inputs and items are loaded by core from a copy of the document that
  // has them, so they are normalised exactly as written ones would be.
  const doc = JSON.parse(text) as { pipelines: { name: string; stages?: { inputs?: Record<string, unknown> }[] }[]; sources?: Record<string, { items?: Record<string, unknown> }> };
  const sources = (doc.sources ??= {});
  for (const entry of entries) {
    const stage = doc.pipelines.find((p) => p.name === entry.pipeline)?.stages?.[entry.index];
    if (!stage) throw new OsbuildError('E_INTERNAL', `locked stage ${entry.pipeline}/${entry.index} vanished from the manifest`);
    stage.inputs = { ...(stage.inputs ?? {}), ...entry.inputs };
    for (const [type, items] of Object.entries(entry.sources)) {
      const source = (sources[type] ??= {});
      source.items = { ...(source.items ?? {}), ...items };
    }
  }
  const augmented = loadManifest(parsePyJson(JSON.stringify(doc), 'the manifest with its lock'));
  const { setLockedContent } = await import('@osbuild-ts/engine');
  for (const entry of entries) {
    const target = manifest.pipelines.find((p) => p.name === entry.pipeline)!.stages[entry.index]!;
    const source = augmented.pipelines.find((p) => p.name === entry.pipeline)!.stages[entry.index]!;
    target.inputs = source.inputs;
    setLockedContent(target, digest(entry));
  }
  manifest.sources = augmented.sources;
}

/**
 * Picking pipelines and stages by what users type on the command line:
 * `--export NAME|ID` and `--checkpoint PATTERN` (spec 5.1, 5.2).
 */
import { OsbuildError } from '../errors.js';
import { pyListRepr } from '../json/py-repr.js';
import { compileFnmatch } from './fnmatch.js';
import type { Manifest, Pipeline } from './model.js';

/** A pipeline by name, else the first whose id matches (upstream's lookup order). */
export function getPipeline(manifest: Manifest, nameOrId: string): Pipeline | undefined {
  return (
    manifest.pipelines.find((pipeline) => pipeline.name === nameOrId) ??
    manifest.pipelines.find((pipeline) => pipeline.id !== null && pipeline.id === nameOrId)
  );
}

export interface ResolvedExport {
  /** As given: the export is copied to `<output-directory>/<name>/`. */
  name: string;
  pipeline: Pipeline;
}

/**
 * Resolves `--export` values (pipeline names or ids), duplicates dropped.
 * Unknown ones: `E_EXPORT_NOT_FOUND` with upstream's line per name,
 * `Export X not found in ['build', 'os']`.
 */
export function resolveExports(manifest: Manifest, names: Iterable<string>): ResolvedExport[] {
  const resolved: ResolvedExport[] = [];
  const unresolved: string[] = [];
  for (const name of new Set(names)) {
    const pipeline = getPipeline(manifest, name);
    if (pipeline === undefined) unresolved.push(name);
    else resolved.push({ name, pipeline });
  }
  if (unresolved.length > 0) {
    const available = manifest.pipelines.map((pipeline) => pipeline.name);
    throw new OsbuildError(
      'E_EXPORT_NOT_FOUND',
      unresolved.map((name) => `Export ${name} not found in ${pyListRepr(available)}`).join('\n'),
      { details: { unresolved, available } },
    );
  }
  return resolved;
}

/**
 * Stage ids selected by `--checkpoint` patterns (shell globs, case-sensitive)
 * matched against pipeline names (selecting the pipeline's last stage),
 * stage ids and stage types; in discovery order. No patterns → none; patterns
 * that match nothing → `E_CHECKPOINT_UNMATCHED`.
 */
export function matchCheckpoints(manifest: Manifest, patterns: Iterable<string>): string[] {
  const written = [...patterns];
  const matchers = written.map(compileFnmatch);
  if (matchers.length === 0) return [];
  const matching = (text: string): boolean => matchers.some((matches) => matches(text));
  const selected = new Set<string>();
  for (const pipeline of manifest.pipelines) {
    const last = pipeline.stages.at(-1);
    // Checkpoints are stages: a pipeline without any cannot be one.
    if (last === undefined) continue;
    if (matching(pipeline.name)) selected.add(last.id);
    for (const stage of pipeline.stages) {
      if (matching(stage.id) || matching(stage.type)) selected.add(stage.id);
    }
  }
  if (selected.size === 0) {
    throw new OsbuildError('E_CHECKPOINT_UNMATCHED', 'No checkpoints matched provided patterns!', {
      details: { patterns: written },
    });
  }
  return [...selected];
}

import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { OsbuildError, dumpsPy, type Manifest, type PyJson, type Registry } from '@osbuild-ts/core';
import type { Resolver, ResolvedStage } from '@osbuild-ts/plugin-kit';
import type { LockEntry } from './lock-file.js';

/** A stage whose plugin has a resolver, with the digest of its request. */
export interface ResolvableStage {
  pipeline: string;
  index: number;
  type: string;
  options: PyJson;
  resolvePath: string;
  request: string;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The stages that need resolving, pipeline by pipeline in manifest order.
 * A stage's request digest covers its type and options and the requests of
 * the resolvable stages before it in its pipeline (an `org.osbuild.apt`
 * stage pins on top of what the debootstrap stage before it locked).
 */
export function resolvableStages(manifest: Manifest, registry: Registry): ResolvableStage[] {
  const found: ResolvableStage[] = [];
  for (const pipeline of manifest.pipelines) {
    const before: string[] = [];
    for (const [index, stage] of pipeline.stages.entries()) {
      const plugin = registry.get('stage', stage.type);
      if (plugin?.resolvePath === undefined) continue;
      const doc = new Map<string, PyJson>([
        ['type', stage.type],
        ['options', stage.options],
        ['before', [...before]],
      ]);
      const request = sha256(dumpsPy(doc, { sortKeys: true }));
      before.push(request);
      found.push({ pipeline: pipeline.name, index, type: stage.type, options: stage.options, resolvePath: plugin.resolvePath, request });
    }
  }
  return found;
}

/** PyJson (Maps, bigints) → plain JSON values for a resolver. */
function plain(value: PyJson): unknown {
  return JSON.parse(dumpsPy(value));
}

async function loadResolver(stage: ResolvableStage): Promise<Resolver<unknown>> {
  const module = (await import(pathToFileURL(stage.resolvePath).href)) as { resolve?: unknown; default?: unknown };
  const resolver = module.resolve ?? module.default;
  if (typeof resolver !== 'function') {
    throw new OsbuildError('E_PLUGIN_DISCOVERY', `the resolver of ${stage.type} (${stage.resolvePath}) exports no function "resolve" or default`);
  }
  return resolver as Resolver<unknown>;
}

/** Runs every stage's resolver on the host, in order; the entries of a new lock. */
export async function resolveStages(stages: readonly ResolvableStage[], log: (line: string) => void): Promise<LockEntry[]> {
  const entries: LockEntry[] = [];
  const previous = new Map<string, ResolvedStage[]>();
  for (const stage of stages) {
    const where = `pipeline ${stage.pipeline}, stage ${stage.index + 1} (${stage.type})`;
    const before = previous.get(stage.pipeline) ?? [];
    log(`resolving ${where}`);
    let result;
    try {
      const resolver = await loadResolver(stage);
      result = await resolver({
        type: stage.type,
        options: plain(stage.options),
        pipeline: stage.pipeline,
        index: stage.index,
        previous: [...before],
        log: (line) => log(`  ${line}`),
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new OsbuildError('E_LOCK', `cannot resolve ${where}: ${message}`, {
        ...(error instanceof OsbuildError && error.hint ? { hint: error.hint } : {}),
      });
    }
    const entry: LockEntry = {
      pipeline: stage.pipeline,
      index: stage.index,
      type: stage.type,
      request: stage.request,
      inputs: result.inputs,
      sources: result.sources,
      ...(result.state === undefined ? {} : { state: result.state }),
      ...(Array.isArray(result.architectures) && result.architectures.length > 0 ? { architectures: [...result.architectures] } : {}),
    };
    entries.push(entry);
    previous.set(stage.pipeline, [...before, { type: stage.type, index: stage.index, state: result.state }]);
  }
  return entries;
}

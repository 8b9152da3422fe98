import { lockedContent } from './locked-content.js';
import {
  OsbuildError,
  dumpsPy,
  fingerprint,
  sha256Hex,
  type Manifest,
  type Pipeline,
  type PluginFingerprint,
  type PluginKind,
  type PluginRecord,
  type PyJson,
  type Registry,
  type Stage,
} from '@osbuild-ts/core';

/** Bump when the engine changes what a stage sees, so old objects stop matching. */
export const CACHE_KEY_VERSION = 'osbuild-ts/object/1';

export interface PlannedStage {
  pipeline: string;
  index: number;
  stage: Stage;
  kind: PluginKind;
  plugin: PluginRecord;
  /** The host-service plugin of each device and mount, in `stage.devices` / `stage.mounts` order. */
  devicePlugins: PluginRecord[];
  mountPlugins: PluginRecord[];
  /** The plugins this stage's object depends on directly: stage, inputs, devices, mounts. */
  fingerprints: PluginFingerprint[];
  /** Store key: the object id plus the fingerprints of every plugin in its chain. */
  key: string;
  /** Key of the previous stage's object (the tree this stage starts from). */
  parentKey: string | null;
  /** Keys of the pipelines its inputs read, in input order. */
  inputKeys: (string | null)[];
}

export interface PlannedPipeline {
  pipeline: Pipeline;
  stages: PlannedStage[];
  /** Key of the last stage: the pipeline's tree. Null without stages. */
  key: string | null;
  /** The build pipeline's plan, whose tree is the build root; null = host. */
  build: PlannedPipeline | null;
  /** Pipelines whose trees or files this one's inputs read. */
  inputs: PlannedPipeline[];
}

export interface Plan {
  manifest: Manifest;
  /** Every pipeline needed for the exports, dependencies first. */
  pipelines: PlannedPipeline[];
  byName: Map<string, PlannedPipeline>;
}

function stageKind(manifest: Manifest, pipeline: Pipeline): PluginKind {
  return manifest.version === 1 && pipeline.name === 'assembler' ? 'assembler' : 'stage';
}

function requirePlugin(registry: Registry, kind: PluginKind, name: string, where: string): PluginRecord {
  const plugin = registry.get(kind, name);
  if (!plugin) {
    const near = registry.closest(kind, name);
    throw new OsbuildError('E_PLUGIN_UNKNOWN', `no installed ${kind} plugin provides ${name} (${where})`, {
      hint: near.length ? `did you mean ${near.join(', ')}? ` : 'install the package that provides it in the project',
    });
  }
  return plugin;
}

function pipelineByName(manifest: Manifest, name: string): Pipeline {
  const found = manifest.pipelines.find((p) => p.name === name);
  if (!found) throw new OsbuildError('E_INTERNAL', `pipeline ${name} vanished from the manifest`);
  return found;
}

/** Names of the pipelines a pipeline needs: its build pipeline, then its inputs'. */
export function dependencyNames(pipeline: Pipeline): string[] {
  const names: string[] = [];
  if (pipeline.buildName !== undefined) names.push(pipeline.buildName);
  for (const stage of pipeline.stages) {
    for (const input of stage.inputs) names.push(...(input.pipelineNames ?? []));
  }
  return [...new Set(names)];
}

/**
 * Plans the objects needed to build `targets` (pipeline names): each stage's
 * plugin, and its cache key. The key folds in the osbuild object id (which
 * already covers options, base, build and inputs) and the fingerprints of the
 * plugins that built every object in its chain, so upgrading a plugin
 * invalidates exactly the objects it built and their descendants.
 */
export async function planBuild(manifest: Manifest, registry: Registry, targets: readonly string[]): Promise<Plan> {
  const byName = new Map<string, PlannedPipeline>();
  const order: PlannedPipeline[] = [];
  const visiting = new Set<string>();

  async function visit(name: string): Promise<PlannedPipeline> {
    const done = byName.get(name);
    if (done) return done;
    if (visiting.has(name)) {
      throw new OsbuildError('E_MANIFEST_INVALID', `pipeline ${name} depends on itself through its build or inputs`);
    }
    visiting.add(name);
    const pipeline = pipelineByName(manifest, name);
    const build = pipeline.buildName === undefined ? null : await visit(pipeline.buildName);
    const inputs: PlannedPipeline[] = [];
    for (const dep of dependencyNames(pipeline)) if (dep !== pipeline.buildName) inputs.push(await visit(dep));
    const planned = await planPipeline(manifest, registry, pipeline, build, (n) => byName.get(n) ?? null);
    planned.inputs = inputs;
    visiting.delete(name);
    byName.set(name, planned);
    order.push(planned);
    return planned;
  }

  for (const target of targets) await visit(target);
  return { manifest, pipelines: order, byName };
}

async function planPipeline(
  manifest: Manifest,
  registry: Registry,
  pipeline: Pipeline,
  build: PlannedPipeline | null,
  planned: (name: string) => PlannedPipeline | null,
): Promise<PlannedPipeline> {
  const kind = stageKind(manifest, pipeline);
  const stages: PlannedStage[] = [];
  let parentKey: string | null = null;
  for (const [index, stage] of pipeline.stages.entries()) {
    const where = `pipeline ${pipeline.name}, stage ${index + 1}`;
    const plugin = requirePlugin(registry, kind, stage.type, where);
    const devicePlugins = stage.devices.map((d) => requirePlugin(registry, 'device', d.type, `${where}, device ${d.name}`));
    const mountPlugins = stage.mounts.map((m) => requirePlugin(registry, 'mount', m.type, `${where}, mount ${m.name}`));
    const plugins = [
      plugin,
      ...stage.inputs.map((i) => requirePlugin(registry, 'input', i.type, `${where}, input ${i.name}`)),
      ...devicePlugins,
      ...mountPlugins,
    ];
    const fingerprints = await Promise.all(plugins.map((p) => fingerprint(p, { cacheDir: registry.discovery.cacheDir })));
    const inputKeys = stage.inputs.flatMap((i) => (i.pipelineNames ?? []).map((n) => planned(n)?.key ?? null));
    const key = cacheKey(stage.id, fingerprints, parentKey, build?.key ?? null, inputKeys, stage.devices.map((d) => d.id), lockedContent(stage));
    stages.push({ pipeline: pipeline.name, index, stage, kind, plugin, devicePlugins, mountPlugins, fingerprints, key, parentKey, inputKeys });
    parentKey = key;
  }
  return { pipeline, stages, key: parentKey, build, inputs: [] };
}

/**
 * `deviceIds` closes an osbuild quirk for the store: a stage's devices enter
 * its object id only through its mounts, so two stages that differ only in
 * their devices (mkfs on two different partitions) share an id. They must
 * not share an object; keys of stages without devices stay as they were.
 */
export function cacheKey(
  objectId: string,
  fingerprints: readonly PluginFingerprint[],
  parentKey: string | null,
  buildKey: string | null,
  inputKeys: readonly (string | null)[],
  deviceIds: readonly string[] = [],
  locked?: string,
): string {
  const doc = new Map<string, PyJson>([
    ['version', CACHE_KEY_VERSION],
    ['id', objectId],
    ['plugins', fingerprints.map((f) => new Map<string, PyJson>([['name', f.name], ['version', f.version], ['content', f.contentHash]]))],
    ['parent', parentKey],
    ['build', buildKey],
    ['inputs', [...inputKeys]],
  ]);
  if (deviceIds.length > 0) doc.set('devices', [...deviceIds]);
  // Inputs added from a lock file (locked-content.ts); absent otherwise, so other keys stay as they were.
  if (locked !== undefined) doc.set('locked', locked);
  return sha256Hex(dumpsPy(doc, { sortKeys: true }));
}

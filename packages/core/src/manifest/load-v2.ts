/**
 * Loads a v2 manifest (spec 1.4, 1.5): sources first, then pipelines in
 * array order, each resolving `name:` references against the pipelines
 * loaded so far, then runner re-assignment (1.6).
 */
import { formatJsonPath } from '../json/path.js';
import type { JsonPath, PyJson, PyObject } from '../json/types.js';
import { pyTruthy } from '../json/truthy.js';
import { deviceId, inputId, mountId, stageId } from './ids.js';
import { invalid, kindOf, quote, quoteList } from './invalid.js';
import type { InputOrigin, Manifest, Pipeline, Runner, SourceSpec, Stage, StageDevice, StageInput, StageMount } from './model.js';
import { normaliseReferences } from './references.js';
import { explainUnresolvedRunner, resolveRunner } from './runners.js';
import { asObject, objectOrEmpty, optionalArray, optionalObject, optionalString, requiredString } from './shape.js';
import { sortDevices } from './sort-devices.js';

const ORIGINS: readonly string[] = ['org.osbuild.source', 'org.osbuild.pipeline'];

interface Context {
  /** Pipelines loaded so far (the one being loaded included), by name. */
  byName: Map<string, Pipeline>;
  /** Every item key of every source. */
  sourceRefs: Set<string>;
  /**
   * Upstream adds a stage to its pipeline before loading the stage's inputs,
   * so an input naming its own pipeline gets the id of the stage being
   * loaded, as far as it is loaded. This computes that id.
   */
  partialStageId: (() => string) | null;
}

export function loadV2(doc: PyObject, hostRunner: () => Runner): Manifest {
  const metadata = objectOrEmpty(doc, 'metadata', []);
  const { sources, sourceRefs } = loadSources(doc);
  const ctx: Context = { byName: new Map(), sourceRefs, partialStageId: null };

  const pipelines: Pipeline[] = [];
  (optionalArray(doc, 'pipelines', []) ?? []).forEach((desc, index) => {
    pipelines.push(loadPipeline(desc, ['pipelines', index], ctx));
  });

  assignRunners(pipelines, hostRunner);
  return { version: 2, pipelines, sources, metadata };
}

function loadSources(doc: PyObject): { sources: SourceSpec[]; sourceRefs: Set<string> } {
  const sources: SourceSpec[] = [];
  const sourceRefs = new Set<string>();
  for (const [type, value] of optionalObject(doc, 'sources', []) ?? []) {
    const path = ['sources', type];
    const desc = asObject(value, path);
    const items = objectOrEmpty(desc, 'items', path);
    const options = objectOrEmpty(desc, 'options', path);
    for (const key of items.keys()) sourceRefs.add(key);
    sources.push({ type, items, options, path });
  }
  return { sources, sourceRefs };
}

function loadPipeline(value: PyJson | undefined, path: JsonPath, ctx: Context): Pipeline {
  const desc = asObject(value, path);
  const name = requiredString(desc, 'name', path);
  const buildText = optionalString(desc, 'build', path);
  const sourceEpoch = optionalSourceEpoch(desc, path);

  // What the stages hash as `build`: null, an id, or "" as written (quirk).
  let hashedBuild: string | null = buildText ?? null;
  let buildName: string | undefined;
  if (buildText?.startsWith('name:')) {
    const target = lookupPipeline(buildText.slice(5), [...path, 'build'], buildText, ctx);
    hashedBuild = target.id;
    buildName = target.name;
  }

  let declaredRunner: Runner | undefined;
  const runnerName = optionalString(desc, 'runner', path);
  if (runnerName) {
    const file = resolveRunner(runnerName);
    if (file === undefined) throw invalid([...path, 'runner'], explainUnresolvedRunner(runnerName));
    declaredRunner = { name: runnerName, file };
  }

  const previous = ctx.byName.get(name);
  if (previous !== undefined) {
    throw invalid([...path, 'name'], `pipeline name ${quote(name)} is already used by ${formatJsonPath(previous.path)}`);
  }

  const pipeline: Pipeline = {
    name,
    id: null,
    build: hashedBuild === '' ? null : hashedBuild,
    ...(buildName !== undefined && hashedBuild ? { buildName } : {}),
    // Placeholder until assignRunners; every pipeline gets one there.
    runner: declaredRunner ?? { name: '', file: '' },
    ...(declaredRunner ? { declaredRunner } : {}),
    ...(sourceEpoch !== undefined ? { sourceEpoch } : {}),
    stages: [],
    path,
  };
  ctx.byName.set(name, pipeline);

  (optionalArray(desc, 'stages', path) ?? []).forEach((stageDesc, index) => {
    const stage = loadStage(stageDesc, [...path, 'stages', index], pipeline, hashedBuild, ctx);
    pipeline.stages.push(stage);
    pipeline.id = stage.id;
  });
  return pipeline;
}

function optionalSourceEpoch(desc: PyObject, path: JsonPath): bigint | undefined {
  if (!desc.has('source-epoch')) return undefined;
  const value = desc.get('source-epoch');
  if (typeof value !== 'bigint') throw invalid([...path, 'source-epoch'], `expected an integer, got ${kindOf(value)}`);
  return value;
}

/** The pipeline `name` refers to, from those loaded so far. */
function lookupPipeline(name: string, path: JsonPath, written: string, ctx: Context): Pipeline {
  const target = ctx.byName.get(name);
  if (target !== undefined) return target;
  const defined = ctx.byName.size > 0 ? `defined pipelines: ${[...ctx.byName.keys()].join(', ')}` : 'no pipeline is defined before it';
  throw invalid(path, `${quote(written)} refers to pipeline ${quote(name)}, which is not defined before it (${defined})`);
}

/** The id `name:<name>` stands for right now (see Context.partialStageId). */
function currentId(name: string, path: JsonPath, written: string, ctx: Context, loading: Pipeline): string | null {
  const target = lookupPipeline(name, path, written, ctx);
  if (target === loading && ctx.partialStageId !== null) return ctx.partialStageId();
  return target.id;
}

function loadStage(value: PyJson | undefined, path: JsonPath, pipeline: Pipeline, build: string | null, ctx: Context): Stage {
  const desc = asObject(value, path);
  const type = requiredString(desc, 'type', path);
  const options = objectOrEmpty(desc, 'options', path);
  const base = pipeline.id;
  const idOf = (inputs: StageInput[], mounts: StageMount[]): string =>
    stageId({
      type,
      build,
      base,
      options,
      ...(pipeline.sourceEpoch !== undefined ? { sourceEpoch: pipeline.sourceEpoch } : {}),
      inputs,
      mountIds: mounts.map((mount) => mount.id),
    });

  const devices = loadDevices(desc, path);

  const inputs: StageInput[] = [];
  for (const [name, inputDesc] of optionalObject(desc, 'inputs', path) ?? []) {
    inputs.push(loadInput(name, inputDesc, [...path, 'inputs', name], ctx, pipeline, inputs, idOf));
  }

  const mounts: StageMount[] = [];
  (optionalArray(desc, 'mounts', path) ?? []).forEach((mountDesc, index) => {
    mounts.push(loadMount(mountDesc, [...path, 'mounts', index], devices, mounts));
  });

  return { type, id: idOf(inputs, mounts), options, inputs, devices, mounts, path };
}

function loadDevices(stage: PyObject, stagePath: JsonPath): StageDevice[] {
  const path = [...stagePath, 'devices'];
  const entries = [...(optionalObject(stage, 'devices', stagePath) ?? [])].map(([name, value]) => {
    const devicePath = [...path, name];
    const desc = asObject(value, devicePath);
    const parent = optionalString(desc, 'parent', devicePath);
    return {
      name,
      type: requiredString(desc, 'type', devicePath),
      ...(parent ? { parent } : {}),
      options: objectOrEmpty(desc, 'options', devicePath),
      path: devicePath,
    };
  });
  const loaded = new Map<string, StageDevice>();
  for (const entry of sortDevices(entries, path)) {
    const parentId = entry.parent === undefined ? null : (loaded.get(entry.parent) as StageDevice).id;
    loaded.set(entry.name, { ...entry, id: deviceId(entry.type, parentId, entry.options) });
  }
  return [...loaded.values()];
}

function loadInput(
  name: string,
  value: PyJson | undefined,
  path: JsonPath,
  ctx: Context,
  pipeline: Pipeline,
  earlier: StageInput[],
  stageIdOf: (inputs: StageInput[], mounts: StageMount[]) => string,
): StageInput {
  const desc = asObject(value, path);
  const type = requiredString(desc, 'type', path);
  const originText = requiredString(desc, 'origin', path);
  if (!ORIGINS.includes(originText)) {
    throw invalid([...path, 'origin'], `expected "org.osbuild.source" or "org.osbuild.pipeline", got ${quote(originText)}`);
  }
  const origin = originText as InputOrigin;
  const options = objectOrEmpty(desc, 'options', path);
  const refsPath = [...path, 'references'];
  const written = normaliseReferences(desc.get('references'), refsPath);

  const references = new Map<string | null, PyJson>();
  const result: StageInput = { name, type, origin, options, references, id: '', path };

  if (origin === 'org.osbuild.pipeline') {
    // The input is already part of the stage, without references, while its
    // own references are resolved (upstream order; matters for self-references).
    const pending = { ...result, id: inputId(type, origin, new Map(), options) };
    ctx.partialStageId = () => stageIdOf([...earlier, pending], []);
    const names: string[] = [];
    let stageless: string | undefined;
    try {
      for (const [ref, refOptions] of written) {
        // Quirk: a pipeline reference without `name:` is silently dropped.
        if (!ref.startsWith('name:')) continue;
        const targetName = ref.slice(5);
        const id = currentId(targetName, refsPath, ref, ctx, pipeline);
        if (id === null) stageless ??= targetName;
        references.set(id, refOptions);
        if (!names.includes(targetName)) names.push(targetName);
      }
    } finally {
      ctx.partialStageId = null;
    }
    if (stageless !== undefined && references.size > 1) {
      throw invalid(
        refsPath,
        `pipeline ${quote(stageless)} has no stages, so its id is null, which osbuild cannot hash together with other references; reference it in an input of its own`,
      );
    }
    result.pipelineNames = names;
  } else {
    const unknown = [...written.keys()].filter((ref) => !ctx.sourceRefs.has(ref));
    if (unknown.length > 0) {
      throw invalid(
        refsPath,
        `${quoteList(unknown)} ${unknown.length === 1 ? 'is not an item' : 'are not items'} of any source` +
          (ctx.sourceRefs.size === 0 ? ' (the manifest has no sources)' : ''),
      );
    }
    for (const [ref, refOptions] of written) references.set(ref, refOptions);
  }

  // Falsy options of a reference become {} (upstream: `options or {}`).
  for (const [ref, refOptions] of references) if (!pyTruthy(refOptions)) references.set(ref, new Map());
  result.id = inputId(type, origin, references, options);
  return result;
}

function loadMount(value: PyJson | undefined, path: JsonPath, devices: StageDevice[], earlier: StageMount[]): StageMount {
  const desc = asObject(value, path);
  const name = requiredString(desc, 'name', path);
  const type = requiredString(desc, 'type', path);
  if (earlier.some((mount) => mount.name === name)) {
    throw invalid([...path, 'name'], `mount name ${quote(name)} is used twice in this stage`);
  }
  const source = optionalString(desc, 'source', path);
  let device: StageDevice | undefined;
  if (source) {
    device = devices.find((candidate) => candidate.name === source);
    if (device === undefined) {
      const known = devices.length > 0 ? `devices: ${quoteList(devices.map((d) => d.name))}` : 'the stage has no devices';
      throw invalid([...path, 'source'], `${quote(source)} is not a device of this stage (${known})`);
    }
  }
  const target = optionalString(desc, 'target', path) ?? null;
  let partition: bigint | number | undefined;
  if (desc.has('partition')) {
    const written = desc.get('partition');
    if (typeof written !== 'bigint' && typeof written !== 'number') {
      throw invalid([...path, 'partition'], `expected a number, got ${kindOf(written)}`);
    }
    partition = written;
  }
  const options = objectOrEmpty(desc, 'options', path);
  return {
    name,
    type,
    ...(source ? { source } : {}),
    target,
    ...(partition !== undefined ? { partition } : {}),
    options,
    id: mountId(type, device?.id ?? null, partition, target, options),
    path,
  };
}

/**
 * Spec 1.6: the runner written on P is for the pipelines built with P. A
 * pipeline with a build takes the declared runner (host runner if none) of
 * the last pipeline whose id is its build id; one without takes the host's.
 */
function assignRunners(pipelines: Pipeline[], hostRunner: () => Runner): void {
  const byId = new Map<string | null, Pipeline>();
  for (const pipeline of pipelines) byId.set(pipeline.id, pipeline);
  for (const pipeline of pipelines) {
    if (pipeline.build === null) {
      pipeline.runner = hostRunner();
      continue;
    }
    const builder = byId.get(pipeline.build);
    if (builder === undefined) {
      throw invalid([...pipeline.path, 'build'], `${quote(pipeline.build)} is not the id of any pipeline (use "name:<pipeline>" to refer to one by name)`);
    }
    pipeline.runner = builder.declaredRunner ?? hostRunner();
    // For a raw id, the build root is the first pipeline with that id (as upstream's lookup).
    pipeline.buildName ??= pipelines.find((candidate) => candidate.id === pipeline.build)?.name;
  }
}

/**
 * The `--inspect` document (spec 4): the manifest as loaded, with ids, in
 * insertion order. Print it with `dumpsPy(…) + '\n'`.
 */
import { pyTruthy } from '../json/truthy.js';
import type { PyJson, PyObject } from '../json/types.js';
import type { Manifest, Pipeline, Stage, StageDevice, StageInput, StageMount } from './model.js';
import { getPipeline } from './select.js';

export function describeManifest(manifest: Manifest): PyObject {
  return manifest.version === 1 ? describeV1(manifest) : describeV2(manifest);
}

function obj(entries: Array<[string, PyJson]> = []): PyObject {
  return new Map(entries);
}

// ---- v1: the nested shape it was written in ----

function describeV1(manifest: Manifest): PyObject {
  const describeStage = (stage: Stage): PyObject => {
    const desc = obj([['name', stage.type]]);
    if (pyTruthy(stage.options)) desc.set('options', stage.options);
    desc.set('id', stage.id);
    return desc;
  };
  const describePipeline = (pipeline: Pipeline): PyObject => {
    const desc = obj();
    if (pipeline.build) {
      const build = getPipeline(manifest, pipeline.build) as Pipeline;
      // The runner printed is the one written next to the build pipeline.
      desc.set('build', obj([['pipeline', describePipeline(build)], ['runner', pipeline.runner.name]]));
    }
    if (pipeline.stages.length > 0) desc.set('stages', pipeline.stages.map(describeStage));
    return desc;
  };

  const tree = getPipeline(manifest, 'tree');
  const description = tree === undefined ? obj() : describePipeline(tree);
  const assembler = getPipeline(manifest, 'assembler');
  if (assembler?.stages[0] !== undefined) description.set('assembler', describeStage(assembler.stages[0]));

  const result = obj([['pipeline', description]]);
  if (manifest.sources.length > 0) {
    const sources = obj();
    for (const source of manifest.sources) {
      sources.set(source.type === 'org.osbuild.curl' ? 'org.osbuild.files' : source.type, source.options);
    }
    result.set('sources', sources);
  }
  return result;
}

// ---- v2 ----

function describeV2(manifest: Manifest): PyObject {
  // A runner is printed on the pipeline that others are built with.
  const runnerFor = new Map<string, string>();
  for (const pipeline of manifest.pipelines) if (pipeline.build) runnerFor.set(pipeline.build, pipeline.runner.name);

  const pipelines = manifest.pipelines.map((pipeline) => {
    const desc = obj([['name', pipeline.name]]);
    if (pipeline.build) desc.set('build', pipeline.build);
    const runner = pipeline.id === null ? undefined : runnerFor.get(pipeline.id);
    if (runner) desc.set('runner', runner);
    if (pipeline.stages.length > 0) desc.set('stages', pipeline.stages.map(describeStageV2));
    return desc;
  });

  const description = obj([
    ['version', '2'],
    ['pipelines', pipelines],
  ]);
  if (manifest.metadata.size > 0) description.set('metadata', manifest.metadata);
  if (manifest.sources.length > 0) {
    description.set('sources', obj(manifest.sources.map((source) => [source.type, obj([['items', source.items]])])));
  }
  return description;
}

function describeStageV2(stage: Stage): PyObject {
  const desc = obj([
    ['type', stage.type],
    ['id', stage.id],
  ]);
  if (pyTruthy(stage.options)) desc.set('options', stage.options);
  if (stage.devices.length > 0) desc.set('devices', obj(stage.devices.map((d) => [d.name, describeDevice(d)])));
  if (stage.mounts.length > 0) desc.set('mounts', stage.mounts.map(describeMount));
  if (stage.inputs.length > 0) desc.set('inputs', obj(stage.inputs.map((i) => [i.name, describeInput(i)])));
  return desc;
}

function describeDevice(device: StageDevice): PyObject {
  // The parent is not printed: the order already says it (upstream quirk).
  const desc = obj([['type', device.type]]);
  if (pyTruthy(device.options)) desc.set('options', device.options);
  return desc;
}

function describeMount(mount: StageMount): PyObject {
  const desc = obj([
    ['name', mount.name],
    ['type', mount.type],
    ['target', mount.target],
  ]);
  if (mount.source) desc.set('source', mount.source);
  if (pyTruthy(mount.options)) desc.set('options', mount.options);
  if (mount.partition !== undefined && pyTruthy(mount.partition)) desc.set('partition', mount.partition);
  return desc;
}

function describeInput(input: StageInput): PyObject {
  const desc = obj([
    ['type', input.type],
    ['origin', input.origin],
  ]);
  if (pyTruthy(input.options)) desc.set('options', input.options);
  if (input.references.size > 0) {
    const references = obj();
    for (const [ref, options] of input.references) references.set(ref ?? 'null', options);
    desc.set('references', references);
  }
  return desc;
}

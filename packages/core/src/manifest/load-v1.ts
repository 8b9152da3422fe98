/**
 * Loads a v1 manifest into osbuild's internal pipelines (spec 1.2, 1.3):
 * nested build pipelines first (`build-build`, `build`), then `tree`, then an
 * `assembler` pipeline holding the assembler as its one stage.
 */
import type { JsonPath, PyJson, PyObject } from '../json/types.js';
import { pyTruthy } from '../json/truthy.js';
import { inputId, stageId } from './ids.js';
import { invalid, kindOf, quote } from './invalid.js';
import type { Manifest, Pipeline, Runner, SourceSpec, Stage, StageInput } from './model.js';
import { explainUnresolvedRunner, resolveRunner } from './runners.js';
import { asObject, asString, objectOrEmpty, optionalArray, requiredString } from './shape.js';

/** Where a v1 source keeps its items, by (de-aliased) source type. */
const ITEMS_KEY: ReadonlyMap<string, string> = new Map([
  ['org.osbuild.curl', 'urls'],
  ['org.osbuild.ostree', 'commits'],
  ['org.osbuild.librepo', 'items'],
]);

export function loadV1(doc: PyObject, hostRunner: () => Runner): Manifest {
  const pipelines: Pipeline[] = [];
  const description = doc.has('pipeline') ? asObject(doc.get('pipeline'), ['pipeline']) : new Map<string, PyJson>();
  const tree = loadPipeline(description, ['pipeline'], 0, pipelines, hostRunner);

  const assembler = description.get('assembler');
  if (assembler !== undefined && pyTruthy(assembler)) pipelines.push(loadAssembler(assembler, tree));

  return { version: 1, pipelines, sources: loadSources(doc), metadata: new Map() };
}

function loadPipeline(desc: PyObject, path: JsonPath, level: number, pipelines: Pipeline[], hostRunner: () => Runner): Pipeline {
  let build: Pipeline | null = null;
  let runner: Runner;
  const buildDesc = desc.get('build');
  // Upstream tests `if build:`, so `"build": {}` means no build pipeline at all.
  if (pyTruthy(buildDesc)) {
    const buildPath = [...path, 'build'];
    const buildObject = asObject(buildDesc, buildPath);
    const inner = buildObject.get('pipeline');
    // A falsy `pipeline` ({}) is no build pipeline, but the runner still counts.
    if (pyTruthy(inner)) {
      build = loadPipeline(asObject(inner, [...buildPath, 'pipeline']), [...buildPath, 'pipeline'], level + 1, pipelines, hostRunner);
    }
    const runnerName = requiredString(buildObject, 'runner', buildPath);
    const file = resolveRunner(runnerName);
    if (file === undefined) throw invalid([...buildPath, 'runner'], explainUnresolvedRunner(runnerName));
    runner = { name: runnerName, file };
  } else {
    runner = hostRunner();
  }

  const pipeline: Pipeline = {
    name: level === 0 ? 'tree' : Array.from({ length: level }, () => 'build').join('-'),
    id: null,
    build: build?.id ?? null,
    ...(build?.id ? { buildName: build.name } : {}),
    runner,
    stages: [],
    path,
  };
  pipelines.push(pipeline);

  (optionalArray(desc, 'stages', path) ?? []).forEach((stageDesc, index) => {
    const stage = loadStage(stageDesc, [...path, 'stages', index], pipeline);
    pipeline.stages.push(stage);
    pipeline.id = stage.id;
  });
  return pipeline;
}

function loadStage(value: PyJson | undefined, path: JsonPath, pipeline: Pipeline): Stage {
  const desc = asObject(value, path);
  const type = requiredString(desc, 'name', path);
  const options = objectOrEmpty(desc, 'options', path);
  const inputs: StageInput[] = [];
  if (type === 'org.osbuild.rpm') inputs.push(rpmPackagesInput(options, [...path, 'options']));
  else if (type === 'org.osbuild.ostree') inputs.push(ostreeCommitsInput(options, [...path, 'options']));
  return {
    type,
    id: stageId({ type, build: pipeline.build, base: pipeline.id, options, inputs, mountIds: [] }),
    options,
    inputs,
    devices: [],
    mounts: [],
    path,
  };
}

/** v1 rpm lists its packages in options; osbuild turns them into a files input. */
function rpmPackagesInput(options: PyObject, optionsPath: JsonPath): StageInput {
  const path = [...optionsPath, 'packages'];
  if (!options.has('packages')) throw invalid(path, 'is required by org.osbuild.rpm in a v1 manifest (a list of checksums)');
  const packages = options.get('packages');
  if (!Array.isArray(packages)) throw invalid(path, `expected an array, got ${kindOf(packages)}`);
  const references = new Map<string | null, PyJson>();
  packages.forEach((entry, index) => {
    if (typeof entry === 'string') {
      references.set(entry, new Map());
    } else if (entry instanceof Map) {
      const checksum = asString(entry.get('checksum'), [...path, index, 'checksum']);
      const gpg = entry.get('check_gpg');
      references.set(checksum, pyTruthy(gpg) ? new Map([['metadata', new Map([['rpm.check_gpg', gpg as PyJson]])]]) : new Map());
    } else {
      throw invalid([...path, index], `expected a checksum string or an object with "checksum", got ${kindOf(entry)}`);
    }
  });
  return synthesised('packages', 'org.osbuild.files', references, path);
}

function ostreeCommitsInput(options: PyObject, optionsPath: JsonPath): StageInput {
  const commit = requiredString(options, 'commit', optionsPath);
  const ref = options.get('ref');
  const references = new Map<string | null, PyJson>([[commit, pyTruthy(ref) ? new Map([['ref', ref as PyJson]]) : new Map()]]);
  return synthesised('commits', 'org.osbuild.ostree', references, [...optionsPath, 'commit']);
}

function synthesised(name: string, type: string, references: Map<string | null, PyJson>, path: JsonPath): StageInput {
  const options: PyObject = new Map();
  const origin = 'org.osbuild.source';
  return { name, type, origin, options, references, id: inputId(type, origin, references, options), path };
}

/** The assembler runs as a pipeline of its own, reading `tree` through a `tree` input. */
function loadAssembler(value: PyJson, tree: Pipeline): Pipeline {
  const path = ['pipeline', 'assembler'];
  const desc = asObject(value, path);
  const type = requiredString(desc, 'name', path);
  const options = objectOrEmpty(desc, 'options', path);
  const inputType = 'org.osbuild.tree';
  const origin = 'org.osbuild.pipeline';
  const inputOptions: PyObject = new Map();
  // A stage-less tree has id null: the reference key is then null ("null").
  const references = new Map<string | null, PyJson>([[tree.id, new Map()]]);
  const input: StageInput = {
    name: 'tree',
    type: inputType,
    origin,
    options: inputOptions,
    references,
    pipelineNames: [tree.name],
    id: inputId(inputType, origin, references, inputOptions),
    path,
  };
  const stage: Stage = {
    type,
    id: stageId({ type, build: tree.build, base: null, options, inputs: [input], mountIds: [] }),
    options,
    inputs: [input],
    devices: [],
    mounts: [],
    path,
  };
  return {
    name: 'assembler',
    id: stage.id,
    build: tree.build,
    ...(tree.buildName !== undefined ? { buildName: tree.buildName } : {}),
    runner: tree.runner,
    stages: [stage],
    path,
  };
}

function loadSources(doc: PyObject): SourceSpec[] {
  const sources: SourceSpec[] = [];
  for (const [written, value] of objectOrEmpty(doc, 'sources', [])) {
    const path = ['sources', written];
    // `org.osbuild.files` is the old name of the curl source.
    const type = written === 'org.osbuild.files' ? 'org.osbuild.curl' : written;
    const itemsKey = ITEMS_KEY.get(type);
    if (itemsKey === undefined) {
      throw invalid(path, `unknown source type ${quote(written)} (v1 knows org.osbuild.files, org.osbuild.curl, org.osbuild.ostree, org.osbuild.librepo)`);
    }
    const desc = asObject(value, path);
    if (!desc.has(itemsKey)) throw invalid([...path, itemsKey], 'is required (an object: checksum → item)');
    const items = asObject(desc.get(itemsKey), [...path, itemsKey]);
    sources.push({ type, items, options: desc, path });
  }
  return sources;
}

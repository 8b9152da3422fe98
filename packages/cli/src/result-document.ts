import { fromPlain, type Manifest, type PyJson, type PyObject } from '@osbuild-ts/core';
import type { ItemResult, StageRecord } from '@osbuild-ts/engine';

const obj = (entries: [string, PyJson][]): PyObject => new Map(entries);

/** Stage metadata merged per stage type, for every pipeline whose object exists (osbuild's rule). */
function metadataByPipeline(manifest: Manifest, records: readonly StageRecord[]): PyObject {
  const result: PyObject = new Map();
  for (const pipeline of manifest.pipelines) {
    const stages = records.filter((r) => r.pipeline === pipeline.name);
    if (stages.length !== pipeline.stages.length || stages.some((r) => !r.success)) continue;
    const data: PyObject = new Map();
    for (const r of [...stages].sort((a, b) => a.index - b.index)) {
      const md = r.metadata === null || r.metadata === undefined ? null : fromPlain(r.metadata);
      if (!(md instanceof Map) || md.size === 0) continue;
      const merged = (data.get(r.type) as PyObject | undefined) ?? new Map();
      for (const [k, v] of md) merged.set(k, v);
      data.set(r.type, merged);
    }
    if (data.size > 0) result.set(pipeline.name, data);
  }
  return result;
}

/** The log: pipelines that ran something now, with the stages that ran. */
function log(manifest: Manifest, records: readonly StageRecord[]): PyObject {
  const result: PyObject = new Map();
  for (const pipeline of manifest.pipelines) {
    const ran = records.filter((r) => r.pipeline === pipeline.name && !r.cached).sort((a, b) => a.index - b.index);
    if (ran.length === 0) continue;
    result.set(
      pipeline.name,
      ran.map((r) => {
        const entry = obj([['id', r.id], ['type', r.type], ['output', r.output]]);
        if (!r.success) entry.set('success', false);
        return entry;
      }),
    );
  }
  return result;
}

/** Ours, beside osbuild's keys: what ran each stage, whether it came from the store, and why it ran. */
function additions(records: readonly StageRecord[]): PyObject {
  return obj([
    [
      'stages',
      records.map((r) => {
        const entry = obj([
          ['pipeline', r.pipeline],
          ['id', r.id],
          ['type', r.type],
          ['plugin', r.plugin],
          ['entry', r.entry],
          ['cached', r.cached],
          ['success', r.success],
          ['duration', r.durationMs / 1000],
        ]);
        if (r.reason !== undefined) entry.set('reason', r.reason);
        if (r.remote !== undefined) entry.set('remote', r.remote);
        return entry;
      }),
    ],
  ]);
}

/** SRC: per source type, each item's result, as osbuild reports them. */
function sourcesPart(results: ReadonlyMap<string, readonly ItemResult[]>): PyObject {
  const doc = obj([['success', [...results.values()].every((items) => items.every((r) => r.success))]]);
  for (const [type, items] of results) {
    doc.set(
      type,
      items.map((r) =>
        r.success
          ? obj([['cached', r.cached], ['checksum', r.checksum]])
          : obj([['checksum', r.checksum], ['error', r.error ?? 'failed']]),
      ),
    );
  }
  return doc;
}

/** osbuild's v2 `--json` result (spec 6) for a successful build, plus `osbuild-ts`. */
export function successDocument(manifest: Manifest, records: readonly StageRecord[], sources: ReadonlyMap<string, readonly ItemResult[]>): PyObject {
  return obj([
    ['type', 'result'],
    ['success', true],
    ['metadata', metadataByPipeline(manifest, records)],
    ['sources', sourcesPart(sources)],
    ['log', log(manifest, records)],
    ['osbuild-ts', additions(records)],
  ]);
}

/** The v2 result of a failed stage: the last stage that ran is the one that failed. */
export function stageFailureDocument(
  manifest: Manifest,
  records: readonly StageRecord[],
  sources: ReadonlyMap<string, readonly ItemResult[]>,
  message: string,
): PyObject {
  const failed = [...records].reverse().find((r) => !r.success);
  return obj([
    ['type', 'error'],
    ['success', false],
    [
      'error',
      obj([
        ['type', 'org.osbuild.error.stage'],
        [
          'details',
          obj([
            [
              'stage',
              obj([
                ['id', failed?.id ?? null],
                ['type', failed?.type ?? null],
                ['output', failed?.output ?? ''],
                ['error', null],
              ]),
            ],
          ]),
        ],
      ]),
    ],
    ['sources', sourcesPart(sources)],
    ['log', log(manifest, records)],
    ['osbuild-ts', obj([...additions(records), ['message', message]])],
  ]);
}

/** The v2 result of a failed source: its type and the first failing item's error; no log. */
export function sourceFailureDocument(sources: ReadonlyMap<string, readonly ItemResult[]>, source: { type: string; output: string }): PyObject {
  return obj([
    ['type', 'error'],
    ['success', false],
    ['error', obj([['type', 'org.osbuild.error.source'], ['details', obj([['source', obj([['type', source.type], ['output', source.output]])]])]])],
    ['sources', sourcesPart(sources)],
    ['log', new Map()],
  ]);
}

/** v1: the nested result of osbuild's first format (spec 6). */
export function v1Document(manifest: Manifest, records: readonly StageRecord[], success: boolean): PyObject {
  const stageResult = (r: StageRecord): PyObject =>
    obj([
      ['id', r.id],
      ['type', r.type],
      ['success', r.success],
      ['error', null],
      ['output', r.output],
      ['metadata', r.metadata === null || r.metadata === undefined ? null : fromPlain(r.metadata)],
    ]);
  const byName = new Map(manifest.pipelines.map((p) => [p.name, p]));
  const resultOf = (name: string): PyObject => {
    const pipeline = byName.get(name);
    const ran = records.filter((r) => r.pipeline === name && !r.cached).sort((a, b) => a.index - b.index);
    const doc = obj([['success', ran.every((r) => r.success)]]);
    if (pipeline?.buildName !== undefined) {
      const build = resultOf(pipeline.buildName);
      doc.set('build', build);
      // osbuild's quirk: the build's success overwrites the pipeline's.
      doc.set('success', build.get('success') as boolean);
    }
    if (ran.length > 0) doc.set('stages', ran.map(stageResult));
    return doc;
  };
  const tree = resultOf('tree');
  const assembler = records.find((r) => r.pipeline === 'assembler' && !r.cached);
  if (assembler) {
    tree.set('assembler', stageResult(assembler));
    if (!assembler.success) tree.set('success', false);
  }
  if (!success && !records.some((r) => !r.success)) tree.set('success', false);
  tree.set('osbuild-ts', additions(records));
  return tree;
}

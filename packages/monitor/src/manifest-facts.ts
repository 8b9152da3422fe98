import { fromPlain, hashPy, type PyJson, type PyObject } from '@osbuild-ts/core';
import type { MonitorContext, MonitorPipeline } from './types.js';

/** What the monitors look up in the manifest model by pipeline name, stage index and source type. */
export interface ManifestFacts {
  pipeline(name: string): MonitorPipeline | undefined;
  /** The stage's options as written (ints and floats, key order kept); else the event's plain copy. */
  stageOptions(pipeline: string, index: number, fallback: unknown): PyObject;
  /** osbuild's id of a source "pipeline": sha256 of `D(type) D(items)`. */
  sourceId(type: string): string;
  sourceItems(type: string): number | undefined;
}

export function manifestFacts(context: MonitorContext): ManifestFacts {
  const pipelines = new Map(context.pipelines.map((p) => [p.name, p]));
  const sources = new Map((context.sources ?? []).map((s) => [s.type, s]));
  return {
    pipeline: (name) => pipelines.get(name),
    stageOptions(pipeline, index, fallback) {
      const stage = pipelines.get(pipeline)?.stages[index];
      if (stage) return stage.options;
      if (fallback instanceof Map) return fallback as PyObject;
      const converted: PyJson = fromPlain(fallback ?? {});
      return converted instanceof Map ? converted : new Map();
    },
    sourceId: (type) => hashPy(type, sources.get(type)?.items ?? new Map()),
    sourceItems: (type) => sources.get(type)?.items.size,
  };
}

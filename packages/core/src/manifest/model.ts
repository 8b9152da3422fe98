/**
 * One normalised manifest model for both formats. The loaders turn v1 and v2
 * documents into it with osbuild's semantics (spec 1.3, 1.5, 1.6, 3); ids are
 * computed while loading and stored, so nothing downstream re-derives them.
 * Every element keeps `path`, its location in the original document, for
 * error messages.
 */
import type { JsonPath, PyJson, PyObject } from '../json/types.js';

export type ManifestVersion = 1 | 2;

export interface Manifest {
  version: ManifestVersion;
  /** In osbuild's creation order: v1 `build-build…`, `build`, `tree`, `assembler`; v2 as written. */
  pipelines: Pipeline[];
  /** In manifest order. v1 `org.osbuild.files` is loaded as `org.osbuild.curl`. */
  sources: SourceSpec[];
  /** v2 top-level `metadata` (empty for v1). */
  metadata: PyObject;
}

export interface Runner {
  /** The name as requested in the manifest (printed by `--inspect`), or the file name for the host runner. */
  name: string;
  /** The runner file it resolved to, e.g. `org.osbuild.fedora38` for `org.osbuild.fedora41`. */
  file: string;
}

export interface Pipeline {
  name: string;
  /** Id of the last stage; null for a pipeline without stages. */
  id: string | null;
  /**
   * Id of the build pipeline whose tree is the build root; null means the
   * host. (A v2 `"build": ""` is also null here, although upstream hashes
   * its stages with `""` — the stored stage ids already reflect that.)
   */
  build: string | null;
  /** Name of the build pipeline, when `build` is set. */
  buildName?: string;
  /** The runner the stages of this pipeline run with (after v2 re-assignment). */
  runner: Runner;
  /** v2: the `runner` written on this pipeline, meant for pipelines built with it. */
  declaredRunner?: Runner;
  /** v2 `source-epoch`; it enters the stage ids when present (0 included). */
  sourceEpoch?: bigint;
  stages: Stage[];
  path: JsonPath;
}

export interface Stage {
  /** Module name (v1 `name`, v2 `type`). */
  type: string;
  id: string;
  /** `{}` when absent. */
  options: PyObject;
  /** In manifest order (v1: the synthesised `packages`/`commits`/`tree` inputs). */
  inputs: StageInput[];
  /** Parents before children (spec 1.5.4). */
  devices: StageDevice[];
  /** In manifest order. */
  mounts: StageMount[];
  path: JsonPath;
}

export type InputOrigin = 'org.osbuild.source' | 'org.osbuild.pipeline';

export interface StageInput {
  name: string;
  type: string;
  origin: InputOrigin;
  /** `{}` when absent. */
  options: PyObject;
  /**
   * Normalised references: ref → options, options `{}` when absent or falsy.
   * Source origin: item checksums. Pipeline origin: pipeline ids, where a
   * null key stands for a pipeline without stages (printed and hashed as "null").
   */
  references: Map<string | null, PyJson>;
  /** Pipeline origin: the names referenced (`name:` stripped), in the order written. */
  pipelineNames?: string[];
  id: string;
  path: JsonPath;
}

export interface StageDevice {
  name: string;
  type: string;
  /** Name of the parent device of the same stage. */
  parent?: string;
  options: PyObject;
  id: string;
  path: JsonPath;
}

export interface StageMount {
  name: string;
  type: string;
  /** Name of the device of the same stage holding the file system. */
  source?: string;
  /** As written; null when absent. */
  target: string | null;
  /** As written, when present (0 is kept but not hashed). */
  partition?: bigint | number;
  options: PyObject;
  id: string;
  path: JsonPath;
}

export interface SourceSpec {
  /** Module name; v1 `org.osbuild.files` is `org.osbuild.curl`. */
  type: string;
  /** Checksum → item (v1: `urls`, `commits` or `items` of the source object). */
  items: PyObject;
  /** v2 `options` (`{}` when absent); v1: the whole source object, as upstream passes it. */
  options: PyObject;
  path: JsonPath;
}

export interface LoadOptions {
  /**
   * Host runner name, e.g. `org.osbuild.debian12`; resolved like any runner.
   * Default: derived from this machine's os-release.
   */
  hostRunner?: string;
}

/**
 * osbuild's object ids (spec 3): sha256 over concatenated sorted-key py-json
 * texts. What is left out is as much part of the contract as what goes in:
 * names of pipelines, devices and mounts, runners, sources, devices of a
 * stage without mounts, a falsy mount partition or target.
 */
import { hashPy } from '../json/hash.js';
import { pyTruthy } from '../json/truthy.js';
import type { PyJson, PyObject } from '../json/types.js';

/** Reference keys as hashed: the id of a pipeline without stages is null, written "null". */
function referencesObject(references: Map<string | null, PyJson>): PyObject {
  const out: PyObject = new Map();
  for (const [ref, options] of references) out.set(ref ?? 'null', options);
  return out;
}

export function inputId(type: string, origin: string, references: Map<string | null, PyJson>, options: PyObject): string {
  return hashPy(type, origin, referencesObject(references), options);
}

export function deviceId(type: string, parentId: string | null, options: PyObject): string {
  return parentId === null ? hashPy(type, options) : hashPy(type, parentId, options);
}

export function mountId(
  type: string,
  deviceId: string | null,
  partition: bigint | number | undefined,
  target: string | null,
  options: PyObject,
): string {
  const parts: PyJson[] = [type];
  if (deviceId !== null) parts.push(deviceId);
  if (partition !== undefined && pyTruthy(partition)) parts.push(partition);
  if (target !== null && target !== '') parts.push(target);
  parts.push(options);
  return hashPy(...parts);
}

export interface StageIdParts {
  type: string;
  /** The build pipeline id as upstream holds it: null, an id, or (quirk) `""`. */
  build: string | null;
  /** Id of the previous stage of the pipeline. */
  base: string | null;
  options: PyObject;
  sourceEpoch?: bigint;
  /** Input name → input id, in manifest order. */
  inputs: ReadonlyArray<{ name: string; id: string }>;
  mountIds: readonly string[];
}

export function stageId(parts: StageIdParts): string {
  const hashed: PyJson[] = [parts.type, parts.build, parts.base, parts.options];
  if (parts.sourceEpoch !== undefined) hashed.push(parts.sourceEpoch);
  if (parts.inputs.length > 0) hashed.push(new Map(parts.inputs.map((input) => [input.name, input.id])));
  if (parts.mountIds.length > 0) hashed.push([...parts.mountIds]);
  return hashPy(...hashed);
}

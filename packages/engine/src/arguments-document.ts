import { dumpsPy, type PyJson, type PyObject } from '@osbuild-ts/core';

export interface ArgumentsParts {
  options: PyObject;
  /** Input name → its `data` (null: an input without data, such as a tree). */
  inputs: Map<string, PyObject | null>;
  stageId: string;
  sourceEpoch?: bigint;
}

/**
 * The arguments document of osbuild's stage contract (spec 8.2), in its key
 * order and serialised like osbuild's: options keep big ints, floats and key
 * order exactly as the manifest wrote them.
 */
export function argumentsDocument(parts: ArgumentsParts): string {
  const inputs: PyObject = new Map();
  for (const [name, data] of parts.inputs) {
    const input: PyObject = new Map<string, PyJson>([['path', `/run/osbuild/inputs/${name}`]]);
    if (data !== null) input.set('data', data);
    inputs.set(name, input);
  }
  const meta: PyObject = new Map<string, PyJson>([['id', parts.stageId]]);
  if (parts.sourceEpoch !== undefined) meta.set('source-epoch', parts.sourceEpoch);
  const doc: PyObject = new Map<string, PyJson>([
    ['tree', '/run/osbuild/tree'],
    [
      'paths',
      new Map<string, PyJson>([
        ['devices', '/dev'],
        ['inputs', '/run/osbuild/inputs'],
        ['mounts', '/run/osbuild/mounts'],
      ]),
    ],
    ['devices', new Map()],
    ['inputs', inputs],
    ['mounts', new Map()],
    ['options', parts.options],
    ['meta', meta],
  ]);
  return dumpsPy(doc);
}

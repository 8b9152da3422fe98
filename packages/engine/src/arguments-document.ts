import { dumpsPy, type PyJson, type PyObject } from '@osbuild-ts/core';

export interface ArgumentsParts {
  options: PyObject;
  /** Input name → its `data` (null: an input without data, such as a tree). */
  inputs: Map<string, PyObject | null>;
  /** Device name → its service's reply, `path` relative to /dev. */
  devices?: Map<string, PyObject>;
  /** Mount name → its service's reply, `path` relative to the mount root (none: `{}`). */
  mounts?: Map<string, PyObject>;
  stageId: string;
  sourceEpoch?: bigint;
}

const PATHS = { devices: '/dev', inputs: '/run/osbuild/inputs', mounts: '/run/osbuild/mounts' } as const;

/** Python's os.path.join: no normalising, so a mount at "." is `/run/osbuild/mounts/.` as upstream has it. */
function pyJoin(root: string, path: string): string {
  return path.startsWith('/') ? path : `${root}/${path}`;
}

/** Each reply's `path` prefixed with its group's root, as osbuild's prepare_arguments does. */
function rerooted(group: Map<string, PyObject> | undefined, root: string): PyObject {
  const out: PyObject = new Map();
  for (const [name, reply] of group ?? []) {
    const path = reply.get('path');
    out.set(name, typeof path === 'string' && path !== '' ? new Map([...reply, ['path', pyJoin(root, path)]]) : reply);
  }
  return out;
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
  const devices = rerooted(parts.devices, PATHS.devices);
  const mounts = rerooted(parts.mounts, PATHS.mounts);
  if (parts.sourceEpoch !== undefined) meta.set('source-epoch', parts.sourceEpoch);
  const doc: PyObject = new Map<string, PyJson>([
    ['tree', '/run/osbuild/tree'],
    [
      'paths',
      new Map<string, PyJson>([
        ['devices', PATHS.devices],
        ['inputs', PATHS.inputs],
        ['mounts', PATHS.mounts],
      ]),
    ],
    ['devices', devices],
    ['inputs', inputs],
    ['mounts', mounts],
    ['options', parts.options],
    ['meta', meta],
  ]);
  return dumpsPy(doc);
}

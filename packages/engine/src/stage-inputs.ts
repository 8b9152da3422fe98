import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { OsbuildError, type PyJson, type PyObject, type StageInput as ManifestInput } from '@osbuild-ts/core';
import type { MountedTree, Store } from '@osbuild-ts/store';
import type { PlannedPipeline } from './plan.js';
import { prepareSourceInput } from './sources/index.js';

let inputCounter = 0;

export interface PreparedInputs {
  /** For the sandbox: input name → host directory, bound read-only. */
  binds: { name: string; hostPath: string }[];
  /** For the arguments document: input name → `data` (null: none). */
  data: Map<string, PyObject | null>;
  release(): Promise<void>;
}

function metadataOf(options: PyJson): PyObject {
  const meta = options instanceof Map ? options.get('metadata') : undefined;
  return meta instanceof Map ? meta : new Map();
}

/**
 * Makes a stage's inputs available: a referenced pipeline's tree is mounted
 * read-only (the store's merged view, no copy); files from sources are hard
 * links to the store's source cache, named by checksum.
 */
export async function prepareInputs(
  store: Store,
  inputs: readonly ManifestInput[],
  planned: (name: string) => PlannedPipeline | undefined,
  where: string,
): Promise<PreparedInputs> {
  const mounted: MountedTree[] = [];
  const binds: PreparedInputs['binds'] = [];
  const data = new Map<string, PyObject | null>();
  const made: string[] = [];
  const release = async () => {
    await Promise.all(mounted.map((m) => m.unmount()));
    await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
  };
  try {
    for (const input of inputs) {
      if (input.origin === 'org.osbuild.source') {
        if (input.type !== 'org.osbuild.files') {
          throw new OsbuildError('E_NOT_IMPLEMENTED', `${where}: input ${input.name} of type ${input.type} from sources is not supported yet`);
        }
        // Hard links need the store's file system: its tmp/, named after this
        // run so that closing the store (or recovering after a crash) removes it.
        const dir = join(store.root, 'tmp', `${store.runId}-input-${++inputCounter}`);
        made.push(dir);
        const files = await prepareSourceInput(store, dir, input.references);
        binds.push({ name: input.name, hostPath: dir });
        data.set(input.name, new Map([['files', files]]));
        continue;
      }
      const names = input.pipelineNames ?? [];
      if (names.length !== 1) {
        throw new OsbuildError('E_NOT_IMPLEMENTED', `${where}: input ${input.name} references ${names.length} pipelines; exactly one is supported`);
      }
      const pipeline = planned(names[0]!);
      if (!pipeline?.key) {
        throw new OsbuildError('E_MANIFEST_INVALID', `${where}: input ${input.name} references pipeline ${names[0]}, which has no stages`);
      }
      const tree = await store.mountTree(pipeline.key);
      mounted.push(tree);
      binds.push({ name: input.name, hostPath: tree.path });
      if (input.type === 'org.osbuild.files') {
        const files: PyObject = new Map();
        for (const options of input.references.values()) {
          const file = options instanceof Map ? options.get('file') : undefined;
          if (typeof file === 'string') files.set(file.replace(/^\/+/, ''), metadataOf(options));
        }
        data.set(input.name, new Map([['files', files]]));
      } else {
        data.set(input.name, null);
      }
    }
  } catch (error) {
    await release();
    throw error;
  }
  return { binds, data, release };
}

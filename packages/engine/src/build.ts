import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import { join } from 'node:path';
import type { Manifest, Registry } from '@osbuild-ts/core';
import type { BuildSandbox } from '@osbuild-ts/sandbox';
import { openStore, type MaximumSize, type Store } from '@osbuild-ts/store';
import type { EventSink } from './events.js';
import { planBuild, type Plan, type PlannedPipeline } from './plan.js';
import { checkFileSystems, type PlannedMount } from './filesystem-support.js';
import { firstMissing, runPipeline, type StageRecord } from './run-pipeline.js';
import { runInDependencyOrder } from './schedule.js';
import { fetchSources, type ItemResult, type SourceOverrides } from './sources/index.js';
import { createInterrupt } from './interrupt.js';
import type { RemoteObjects } from './remote.js';

/**
 * Removes a previous export. Node's recursive fs.rm keeps a promise per
 * entry in flight: 160 MB and three times the CPU of `rm -rf` on a tree of
 * 50,000 files. A missing destination (the usual case) costs one stat.
 */
async function removeTree(path: string): Promise<void> {
  if (!existsSync(path)) return;
  await promisify(execFile)('rm', ['-rf', '--', path]);
}

export interface BuildOptions {
  /** The store directory (`--store`). */
  store: string;
  /**
   * What to build and copy out (`--export`, resolved): the name as given, its
   * pipeline, and where its tree goes (default `<outputDirectory>/<name>`).
   */
  exports: readonly { name: string; pipeline: string; destination?: string }[];
  outputDirectory?: string;
  /** Stage ids to keep pinned in the store (`--checkpoint`, already matched). */
  checkpoints?: ReadonlySet<string>;
  maximumSize?: MaximumSize;
  stageTimeoutMs?: number;
  /** Source settings from the command line (`--source-overrides`), keyed by source type. */
  sourceOverrides?: SourceOverrides;
  /** Fail at once, naming what is missing, instead of downloading. */
  offline?: boolean;
  /** Copy a failed stage's tree to `<store>/kept/…` and name it in the error. */
  keepFailed?: boolean;
  onEvent?: EventSink;
  /**
   * Aborting stops the build cleanly (SIGINT/SIGTERM): running sandboxes are
   * killed, devices, mounts and half-built layers torn down, and the build
   * rejects with E_INTERRUPTED naming what was running. The reason, if a
   * string, names the signal.
   */
  signal?: AbortSignal;
  /** A shared remote cache: missing objects are pulled from it, built ones pushed to it (`--remote-cache`). */
  remote?: RemoteObjects;
  /**
   * Pipelines whose stage records (and so their metadata) the caller needs
   * although an export may not need their trees built (`--sbom` reads the
   * packages of an export's input pipelines): they are visited like exports.
   */
  recordsOf?: readonly string[];
  /**
   * From its first stage with devices or mounts on, a pipeline's stages
   * share one layer (see run-pipeline.ts `chainEnd`). Default true; false, or the environment
   * variable OSBUILD_TS_CHAIN_DEVICES=0, commits each stage on its own
   * (benchmarks compare the two).
   */
  chainDevices?: boolean;
}

export interface BuildResult {
  plan: Plan;
  /** Per source type, what happened to each item (for `--json`). */
  sources: Map<string, ItemResult[]>;
  /** Every stage of every planned pipeline that was reached, in order. */
  stages: StageRecord[];
}

/**
 * The pipelines this build has to visit: the ones nothing else depends on
 * (the exports) and those in `recordsOf`; the build and input pipelines of
 * a pipeline only when some of its stages will run. A pipeline whose tree
 * is in the store, or that the remote cache gives whole, needs nothing
 * below it: its build root is neither pulled nor built (osbuild's depsolve
 * stops there too). Keys pulled here go into `pulled`.
 */
async function neededPipelines(
  pipelines: readonly PlannedPipeline[],
  store: Store,
  remote: RemoteObjects | undefined,
  pulled: Set<string>,
  recordsOf: ReadonlySet<string>,
): Promise<Set<PlannedPipeline>> {
  const dependedOn = new Set(pipelines.flatMap((pp) => [...(pp.build ? [pp.build] : []), ...pp.inputs]));
  const needed = new Set<PlannedPipeline>();
  const visit = async (pp: PlannedPipeline): Promise<void> => {
    if (needed.has(pp)) return;
    needed.add(pp);
    // No stages, nothing to build; or its tree is here.
    if (pp.key === null || (await store.has(pp.key))) return;
    if (remote !== undefined) {
      const first = await firstMissing(store, pp.stages);
      for (const key of await remote.pull(store, pp.stages.slice(first).map((s) => s.key))) pulled.add(key);
      if (await store.has(pp.key)) return;
    }
    for (const dep of [...(pp.build ? [pp.build] : []), ...pp.inputs]) await visit(dep);
  };
  for (const pp of pipelines) if (!dependedOn.has(pp) || recordsOf.has(pp.pipeline.name)) await visit(pp);
  return needed;
}

/**
 * Builds what the exports need: every stage's object comes from the store
 * when its cache key is there, else its stage runs sandboxed and is
 * committed at once (so an interrupted build loses at most the running
 * stage, or the image stages sharing its layer: run-pipeline.ts `chainEnd`). Then each export's tree is copied out.
 */
export async function buildManifest(manifest: Manifest, registry: Registry, options: BuildOptions): Promise<BuildResult> {
  const plan = await planBuild(manifest, registry, options.exports.map((e) => e.pipeline));
  const records: StageRecord[] = [];
  const emit: EventSink = options.onEvent ?? (() => undefined);
  const interrupt = createInterrupt(options.signal);
  const store = await openStore(options.store, options.maximumSize === undefined ? {} : { maximumSize: options.maximumSize });
  try {
    const toBuild: string[] = [];
    for (const pp of plan.pipelines) if (pp.key === null || !(await store.has(pp.key))) toBuild.push(pp.pipeline.name);
    // Before sources and stages: a mount this kernel cannot make stops the build now, not half-way.
    const mounts: PlannedMount[] = [];
    for (const pp of plan.pipelines) {
      for (const s of pp.stages.slice(await firstMissing(store, pp.stages))) s.stage.mounts.forEach((mount, i) => mounts.push({ mount, plugin: s.mountPlugins[i]! }));
    }
    checkFileSystems(mounts);
    emit({ type: 'plan', pipelines: plan.pipelines.map((pp) => pp.pipeline.name), toBuild });
  } catch (error) {
    await store.close();
    throw error;
  }
  let sources = new Map<string, ItemResult[]>();
  let sandbox: Promise<BuildSandbox> | null = null;
  try {
    // Made on first need: a warm build that runs no stage never pays for it.
    // In the store run's private tmpfs: if this process is killed, the next
    // open of the store removes the sandbox's mounts with the run's.
    const getSandbox = () =>
      (sandbox ??= (async () => {
        // Loaded on first need too: the sandbox's code is half the engine's start-up.
        const { createBuildSandbox } = await import('@osbuild-ts/sandbox');
        return createBuildSandbox({ buildDir: await store.scratchDir('sandbox') });
      })());
    const ctx = {
      store,
      sandbox: getSandbox,
      planned: (name: string) => plan.byName.get(name),
      checkpoints: options.checkpoints ?? new Set<string>(),
      stageTimeoutMs: options.stageTimeoutMs,
      keepFailed: options.keepFailed ?? false,
      emit,
      records,
      interrupt,
      chainDevices: options.chainDevices ?? process.env['OSBUILD_TS_CHAIN_DEVICES'] !== '0',
      ...(options.remote === undefined ? {} : { remote: options.remote }),
    };
    // Every source of the manifest, even with nothing to build (osbuild does the same).
    sources = (await fetchSources(manifest, registry, store, { overrides: options.sourceOverrides, offline: options.offline, onEvent: emit, signal: options.signal, ...(options.remote === undefined ? {} : { remote: options.remote }) })).results;
    interrupt.check();
    const pulled = new Set<string>();
    const needed = await neededPipelines(plan.pipelines, store, options.remote, pulled, new Set(options.recordsOf ?? []));
    await runInDependencyOrder(plan.pipelines, (pp) => (needed.has(pp) ? runPipeline({ ...ctx, pulled }, pp) : Promise.resolve()));
    for (const { name, pipeline, destination: explicit } of options.exports) {
      const destination = explicit ?? (options.outputDirectory === undefined ? undefined : join(options.outputDirectory, name));
      if (destination === undefined) continue;
      const pp = plan.byName.get(pipeline)!;
      interrupt.check();
      if (pp.key) {
        // A previous export is removed by the export's own shell (one fork instead of two).
        await store.exportTree(pp.key, destination, { replace: true });
      } else {
        await removeTree(destination);
        await mkdir(destination, { recursive: true });
      }
      emit({ type: 'export', pipeline: name, destination });
    }
  } catch (caught) {
    const error = interrupt.error(caught) ?? caught;
    // The records of what ran travel with the error: `--json` reports them.
    if (error instanceof Error && 'details' in error && typeof error.details === 'object' && error.details !== null) {
      Object.defineProperty(error.details, 'stages', { value: records, enumerable: false });
      if (!('results' in error.details)) Object.defineProperty(error.details, 'sources', { value: sources, enumerable: false });
    }
    throw error;
  } finally {
    if (sandbox) await (await (sandbox as Promise<BuildSandbox>).catch(() => null))?.close();
    // Pushes of objects already built are finished even when a later stage failed; not when the build was interrupted.
    if (options.signal?.aborted !== true) await options.remote?.flush();
    await store.close();
  }
  return { plan, sources, stages: records };
}

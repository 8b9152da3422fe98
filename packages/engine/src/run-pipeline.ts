import { execFile } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { OsbuildError, toPlain } from '@osbuild-ts/core';
import type { BuildSandbox, Runner, RunnerSpec } from '@osbuild-ts/sandbox';
import { fileSystemOf, isNoSpace, type ChainLink, type MountedTree, type PreparedLayer, type Store } from '@osbuild-ts/store';
import { argumentsDocument } from './arguments-document.js';
import { clampMtimes } from './clamp-mtimes.js';
import { explainMiss, trailRecord, writeTrail, type TrailRecord } from './explain.js';
import type { EventSink } from './events.js';
import type { PlannedPipeline, PlannedStage } from './plan.js';
import { stageFailedError } from './stage-failed.js';
import { prepareInputs } from './stage-inputs.js';
import { openStageServices, type StageServices } from './stage-services.js';
import { reusablePrefix } from './reuse.js';
import type { Interrupt } from './interrupt.js';
import type { RemoteObjects } from './remote.js';

/** promisify(execFile) reads execFile, which loads node:child_process in the start-up bundle: only when a checkpoint tree is copied, not at load. */
const execFileAsync = (command: string, args: string[]) => promisify(execFile)(command, args);

export interface StageRecord {
  pipeline: string;
  index: number;
  id: string;
  type: string;
  key: string;
  /** package@version of the plugin that ran (or built the cached object). */
  plugin: string;
  /** The plugin's entry relative to its package (`dist/main.js`, or `src/main.ts` run through tsx). */
  entry: string;
  cached: boolean;
  success: boolean;
  output: string;
  metadata: unknown;
  durationMs: number;
  /** Why it ran: "not in store", "stage 3 options changed", "plugin X 1.0.0 → 1.1.0"… */
  reason?: string;
  /** With a remote cache: the object came from it, or was uploaded to it by this build. */
  remote?: 'pulled' | 'pushed';
}

export interface PipelineContext {
  store: Store;
  sandbox: () => Promise<BuildSandbox>;
  planned: (name: string) => PlannedPipeline | undefined;
  /** Stage ids to pin against eviction (--checkpoint). */
  checkpoints: ReadonlySet<string>;
  stageTimeoutMs?: number;
  keepFailed: boolean;
  emit: EventSink;
  records: StageRecord[];
  interrupt: Interrupt;
  remote?: RemoteObjects;
  /** Keys pulled from the remote cache before the pipelines ran (see `neededPipelines`). */
  pulled?: ReadonlySet<string>;
  /** From the first stage with devices or mounts on, stages share one layer (`chainEnd`); default true. */
  chainDevices?: boolean;
}

/** Index of the first stage to run: everything before it is in the store already. */
export async function firstMissing(store: Store, stages: readonly PlannedStage[]): Promise<number> {
  for (let i = stages.length - 1; i >= 0; i--) if (await store.has(stages[i]!.key)) return i + 1;
  return 0;
}

/**
 * Index of the last stage of the layer that starts at `from`.
 *
 * From a stage with devices or mounts on, the stages of a pipeline share
 * one layer: each runs on the previous one's still uncommitted layer (same
 * overlay mount, same upper dir), and the run is committed once, under the
 * key of its last stage. Why: that is the image part of a pipeline (sfdisk,
 * mkfs, a copy into a mounted partition, then grub2.inst or the like, which
 * write to the image by offset without a device); each of its stages opens
 * the image file in the tree for writing, and on a fresh layer overlayfs
 * copies the whole image up (hundreds of MB) before the first write, and
 * the commit reads it all again to digest it. One layer pays that once,
 * not once per stage (upstream osbuild commits nothing between stages).
 * Stages before the first device stage keep a layer each, so they keep
 * per-stage caching.
 *
 * A run ends at a `--checkpoint` (it must be an object of its own; the
 * next layer starts after it by the same rule) and at the pipeline's end
 * (its last stage is what other pipelines and exports read). Keys and ids
 * do not change: the committed object is exactly the last stage's tree;
 * the earlier stages' keys and metadata are recorded in its object.info
 * (`chain`), so a later build reports them as cached (`storedStages`).
 */
export function chainEnd(stages: readonly PlannedStage[], from: number, checkpoints: ReadonlySet<string>, enabled = true): number {
  let end = from;
  if (!enabled || !hasServices(stages[from]!)) return end;
  while (end + 1 < stages.length && !checkpoints.has(stages[end]!.stage.id)) end++;
  return end;
}

/**
 * The stored stages `stages[0..upTo)` (by position): the object holding
 * each one's changes and its metadata. A stage stored as an object of its
 * own has its metadata in metadata.json; a stage in a later stage's layer
 * (`chainEnd`) in that object's info. A stage found in neither gets its own
 * key and null (as a store without the record gives).
 */
async function storedStages(store: Store, stages: readonly PlannedStage[], upTo: number): Promise<{ heldBy: string; metadata: unknown }[]> {
  const found: { heldBy: string; metadata: unknown }[] = [];
  let links = new Map<string, ChainLink>();
  let holder = '';
  for (let i = upTo - 1; i >= 0; i--) {
    const key = stages[i]!.key;
    const link = links.get(key);
    if (link !== undefined) {
      found[i] = { heldBy: holder, metadata: link.metadata };
      continue;
    }
    const info = await store.info(key);
    found[i] = { heldBy: key, metadata: info === null ? null : await store.metadata(key) };
    if (info === null) continue;
    holder = key;
    links = new Map((info.chain ?? []).map((l) => [l.key, l]));
  }
  return found;
}

function pluginLabel(s: PlannedStage): string {
  return `${s.plugin.packageName}@${s.plugin.version}`;
}

/** The entry that ran, relative to its package: `dist/main.js` when published, `src/main.ts` (through tsx) in development. */
function entryLabel(s: PlannedStage): string {
  return relative(s.plugin.packageDir, s.plugin.entryPath);
}

/**
 * Builds one pipeline: stages already stored are skipped; the rest run one
 * by one, each on a fresh layer over its parent, each committed at once,
 * except the image part from the first stage with devices on, which
 * shares one layer (`chainEnd`).
 * The next stage's sandbox is prewarmed while the current one runs.
 */
export async function runPipeline(ctx: PipelineContext, pp: PlannedPipeline): Promise<void> {
  const { store, emit } = ctx;
  const name = pp.pipeline.name;
  let { first, rebuilt } = await reusablePrefix(store, pp);
  let pulled = new Set<string>();
  if (ctx.remote !== undefined && first < pp.stages.length) {
    // A local miss: the remote cache may have the deepest missing stages.
    pulled = new Set(await ctx.remote.pull(store, pp.stages.slice(first).map((s) => s.key)));
    if (pulled.size > 0) ({ first, rebuilt } = await reusablePrefix(store, pp));
  }
  emit({ type: 'pipeline-start', pipeline: name, id: pp.pipeline.id, stages: pp.stages.length, cached: first });
  const stored = await storedStages(store, pp.stages, first);
  for (const s of pp.stages.slice(0, first)) {
    const { heldBy, metadata } = stored[s.index]!;
    const remote = pulled.has(heldBy) || ctx.pulled?.has(heldBy) === true ? { remote: 'pulled' as const } : {};
    emit({ type: 'stage-cached', pipeline: name, index: s.index, stageType: s.stage.type, id: s.stage.id, key: s.key, ...remote });
    ctx.records.push({
      ...remote,
      pipeline: name,
      index: s.index,
      id: s.stage.id,
      type: s.stage.type,
      key: s.key,
      plugin: pluginLabel(s),
    entry: entryLabel(s),
      cached: true,
      success: true,
      output: '',
      metadata,
      durationMs: 0,
    });
  }
  if (first === pp.stages.length) {
    emit({ type: 'pipeline-end', pipeline: name, id: pp.pipeline.id, success: true });
    return;
  }

  let root: MountedTree | null = null;
  if (pp.build) {
    if (!pp.build.key) throw new OsbuildError('E_MANIFEST_INVALID', `pipeline ${name}: its build pipeline ${pp.build.pipeline.name} has no stages`);
    root = await store.mountTree(pp.build.key);
  }
  const env: Record<string, string> = {};
  if (pp.pipeline.sourceEpoch !== undefined) env.SOURCE_DATE_EPOCH = String(pp.pipeline.sourceEpoch);
  // Every tool the remaining stages declare, checked in their build root
  // (or on the host) before the first of them runs: a clear error naming
  // the package to install beats a stage failing half-way. Devices and
  // mounts run on the host, so theirs are checked there.
  const { checkTools } = await import('@osbuild-ts/sandbox');
  const remaining = pp.stages.slice(first);
  const tools = remaining.flatMap((s) => s.plugin.tools);
  const hostTools = remaining.flatMap((s) => [...s.devicePlugins, ...s.mountPlugins].flatMap((p) => p.tools));
  try {
    await checkTools(tools, root?.path ?? null);
    if (hostTools.length > 0) await checkTools(hostTools, null);
  } catch (error) {
    await root?.unmount();
    throw error;
  }
  const sandbox = await ctx.sandbox();
  const prewarm = (s: PlannedStage, extra: Partial<RunnerSpec> = {}): Runner =>
    sandbox.prewarm({
      entry: s.plugin.entryPath,
      packageDir: s.plugin.packageDir,
      root: root?.path ?? null,
      capabilities: s.plugin.capabilities,
      env,
      name: s.stage.type,
      ...extra,
    });
  // A stage with devices or mounts gets its sandbox once they are up (bwrap
  // binds its device nodes and mount root), so it is not prewarmed ahead.
  const prewarmAhead = (s: PlannedStage): Runner | null => (hasServices(s) ? null : prewarm(s));

  // source-epoch: the pipeline's last layer is clamped before its commit.
  // "Build start" is when the pipeline's first object began building (kept
  // in the store), so files of earlier stages reused from an earlier run
  // are clamped too, as osbuild's objects inherit their base's creation time.
  const epoch = pp.pipeline.sourceEpoch;
  // The object holding stage 1 is the first stored one (stage 1 may be in a later stage's layer, see `chainEnd`).
  let pipelineStart: number | null = null;
  if (epoch !== undefined) {
    for (const s of pp.stages.slice(0, first)) {
      const info = await ctx.store.info(s.key);
      if (info === null) continue;
      pipelineStart = info.created;
      break;
    }
  }
  const clampFor = (s: PlannedStage, created: number): Clamp | null => {
    pipelineStart ??= created;
    return epoch !== undefined && s.index === pp.stages.length - 1 ? { since: pipelineStart, epoch: Number(epoch) } : null;
  };

  let next: Runner | null = prewarmAhead(pp.stages[first]!);
  let layer: ChainLayer | null = null;
  try {
    for (let i = first; i < pp.stages.length; i++) {
      const s = pp.stages[i]!;
      ctx.interrupt.check();
      const runner = next;
      next = null;
      const prewarmAfter = (index: number) => () => {
        const following = pp.stages[index + 1];
        if (following) next = prewarmAhead(following);
      };
      if (layer === null) {
        const end = chainEnd(pp.stages, i, ctx.checkpoints, ctx.chainDevices ?? true);
        const prepared = await openLayer(ctx, pp, s, pp.stages[end]!, runner);
        if (prepared === null) {
          // Another build committed the layer's object while we waited for its build lock.
          prewarmAfter(end)();
          i = end;
          continue;
        }
        layer = { prepared, end, ran: [] };
      }
      await runStage(ctx, pp, s, layer.prepared, {
        runner,
        startRunner: (extra) => prewarm(s, extra),
        prewarmNext: prewarmAfter(s.index),
        rebuiltBecause: rebuilt.get(s.index),
        ran: layer.ran,
      });
      if (s.index === layer.end) {
        const done = layer;
        layer = null;
        await commitLayer(ctx, pp, done, (created) => clampFor(s, created));
      }
    }
  } finally {
    // A chain not committed (a stage failed, the build was interrupted) leaves nothing in the store.
    if (layer !== null) await (layer as ChainLayer).prepared.abort();
    const pending = next as Runner | null;
    if (pending) await pending.dispose();
    await root?.unmount();
  }
  emit({ type: 'pipeline-end', pipeline: name, id: pp.pipeline.id, success: true });
}

/** A copy of the failed stage's tree as it was when the stage exited, for a post-mortem. */
async function keepTree(storeRoot: string, treePath: string, s: PlannedStage): Promise<string> {
  const dir = join(storeRoot, 'kept', `${s.pipeline.replace(/[^\w.-]/g, '_')}-${s.index + 1}-${s.stage.id.slice(0, 12)}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await execFileAsync('cp', ['-a', '--reflink=auto', `${treePath}/.`, dir]);
  return dir;
}

function hasServices(s: PlannedStage): boolean {
  return s.stage.devices.length > 0 || s.stage.mounts.length > 0;
}

interface Clamp {
  since: number;
  epoch: number;
}

/** The layer a run of stages builds on (one stage, or several with devices: `chainEnd`). */
interface ChainLayer {
  prepared: PreparedLayer;
  /** Index of its last stage, whose key it is committed under. */
  end: number;
  /** The stages that ran on it so far, with their trail records. */
  ran: { s: PlannedStage; record: StageRecord; trail: TrailRecord }[];
}

interface StageRun {
  /** The prewarmed runner, or null for a stage with devices or mounts (started by `startRunner`). */
  runner: Runner | null;
  startRunner: (extra: Partial<RunnerSpec>) => Runner;
  prewarmNext: () => void;
  /** Set when the stage was in the store but its object was damaged (reuse.ts). */
  rebuiltBecause?: string;
  /** The layer's stages so far: this one is added when it succeeds. */
  ran: ChainLayer['ran'];
}

function cachedRecord(s: PlannedStage, metadata: unknown): StageRecord {
  return { pipeline: s.pipeline, index: s.index, id: s.stage.id, type: s.stage.type, key: s.key, plugin: pluginLabel(s), entry: entryLabel(s), cached: true, success: true, output: '', metadata, durationMs: 0 };
}

/**
 * Starts the layer for stages `s`..`last` under `last`'s key (the build
 * lock is that key's, so a second build of the same stages waits for the
 * first and then reuses its object). Null when the object is there by then:
 * those stages are recorded as cached.
 */
async function openLayer(ctx: PipelineContext, pp: PlannedPipeline, s: PlannedStage, last: PlannedStage, runner: Runner | null): Promise<PreparedLayer | null> {
  const { store, emit } = ctx;
  const name = pp.pipeline.name;
  const onWait = () => emit({ type: 'stage-waiting', pipeline: name, index: s.index, stageType: s.stage.type, id: s.stage.id, key: s.key });
  const prepared = await store.prepareLayer(last.key, s.parentKey, { signal: ctx.interrupt.signal, onWait }).catch(async (error: unknown) => {
    await runner?.dispose();
    throw error;
  });
  if (!prepared.cached) return prepared;
  await runner?.dispose();
  const stages = pp.stages.slice(s.index, last.index + 1);
  const info = await store.info(last.key);
  const links = new Map((info?.chain ?? []).map((l) => [l.key, l.metadata]));
  for (const t of stages) {
    emit({ type: 'stage-cached', pipeline: name, index: t.index, stageType: t.stage.type, id: t.stage.id, key: t.key });
    ctx.records.push(cachedRecord(t, t === last ? await store.metadata(t.key) : (links.get(t.key) ?? null)));
  }
  return null;
}

/** Commits a layer whose stages all ran: clamp (the pipeline's last stage only), commit, push, trails. */
async function commitLayer(ctx: PipelineContext, pp: PlannedPipeline, layer: ChainLayer, clampFor: (created: number) => Clamp | null): Promise<void> {
  const { store, emit } = ctx;
  const { prepared } = layer;
  const { s, record } = layer.ran.at(-1)!;
  const clamp = clampFor(prepared.created);
  let clamped: { since: number; epoch: number; complete: boolean } | undefined;
  if (clamp !== null) {
    // When the store knows nothing below this layer is at or after `since`
    // (its mtimes are bounded by an earlier clamp, or are older), only the
    // names in the stage's own layer can need the epoch: the clamp then
    // costs what the stage wrote, not the size of the tree (clamp-mtimes.ts).
    const below = prepared.mtimeBoundBelow;
    const walk = below !== null && below + 1 <= clamp.since ? { walk: prepared.layerDir } : {};
    const { skipped } = await clampMtimes(prepared.treePath, clamp.since, clamp.epoch, walk);
    clamped = { ...clamp, complete: skipped === 0 };
  }
  const chain: ChainLink[] = layer.ran.slice(0, -1).map((r) => ({ key: r.s.key, id: r.s.stage.id, metadata: r.record.metadata ?? null }));
  await prepared.commit({
    id: s.stage.id,
    plugins: s.fingerprints,
    metadata: record.metadata ?? undefined,
    pin: ctx.checkpoints.has(s.stage.id),
    ...(clamped === undefined ? {} : { clamp: clamped }),
    ...(chain.length === 0 ? {} : { chain }),
  });
  // In the background: the next stage starts now; buildManifest waits for pushes before closing the store.
  void ctx.remote?.push(store, s.key).then((pushed) => {
    if (!pushed) return;
    record.remote = 'pushed';
    emit({ type: 'stage-pushed', pipeline: pp.pipeline.name, index: s.index, stageType: s.stage.type, id: s.stage.id, key: s.key });
  });
  for (const r of layer.ran) {
    const trail = r.s === s ? r.trail : { ...r.trail, storedWith: { index: s.index, key: s.key } };
    await writeTrail(store.root, pp.pipeline.name, r.s.index, trail);
  }
}

/** Runs one stage on `prepared` (its layer, maybe shared with earlier stages); on failure the layer is aborted. */
async function runStage(ctx: PipelineContext, pp: PlannedPipeline, s: PlannedStage, prepared: PreparedLayer, run: StageRun): Promise<void> {
  const { store, emit } = ctx;
  const { prewarmNext } = run;
  const name = pp.pipeline.name;
  const where = `pipeline ${name}, stage ${s.index + 1} (${s.stage.type})`;
  let inputs;
  try {
    inputs = await prepareInputs(store, s.stage.inputs, ctx.planned, where);
  } catch (error) {
    await prepared.abort();
    await run.runner?.dispose();
    throw error;
  }
  const trail = trailRecord(pp, s, s.inputKeys);
  const reason = run.rebuiltBecause ?? (await explainMiss(store.root, trail, name, s.index));
  emit({ type: 'stage-start', pipeline: name, index: s.index, stageType: s.stage.type, id: s.stage.id, key: s.key, reason, options: toPlain(s.stage.options) });
  prewarmNext();
  const output: string[] = [];
  const onOutput = (line: string) => {
    output.push(line);
    emit({ type: 'stage-output', pipeline: name, index: s.index, stageType: s.stage.type, id: s.stage.id, line });
  };
  let services: StageServices | null = null;
  let result;
  try {
    let runner = run.runner;
    if (runner === null) {
      // Devices first (parents before children), then mounts in order; all
      // are released below, whatever happens to the stage.
      services = await openStageServices(s, { tree: prepared.treePath, scratchDir: () => store.scratchDir('mounts-'), onLine: onOutput });
      runner = run.startRunner({
        tree: prepared.treePath,
        devices: services.deviceNodes,
        ...(services.mountRoot === null ? {} : { mountsDir: services.mountRoot }),
      });
    }
    const done = ctx.interrupt.running(`${where}`, runner);
    result = await runner.start({
      tree: prepared.treePath,
      inputs: inputs.binds,
      arguments: argumentsDocument({
        options: s.stage.options,
        inputs: inputs.data,
        devices: services?.devices,
        mounts: services?.mounts,
        stageId: s.stage.id,
        sourceEpoch: pp.pipeline.sourceEpoch,
      }),
      timeoutMs: ctx.stageTimeoutMs,
      onOutput,
    }).finally(done);
  } catch (error) {
    await services?.close().catch(() => undefined);
    await inputs.release();
    await prepared.abort();
    throw error;
  }
  // Unmounted and detached before anything else looks at the tree: the
  // image files in it are complete only now, and the layer cannot be
  // unmounted for its commit while a loop device still holds one of them.
  let teardownError: unknown = null;
  if (services !== null) await services.close().catch((error: unknown) => (teardownError = error));
  await inputs.release();
  const success = result.exitCode === 0 && !result.timedOut && teardownError === null;
  const record: StageRecord = {
    pipeline: name,
    index: s.index,
    id: s.stage.id,
    type: s.stage.type,
    key: s.key,
    plugin: pluginLabel(s),
    entry: entryLabel(s),
    cached: false,
    success,
    output: output.join('\n') + (output.length ? '\n' : ''),
    metadata: result.metadata,
    durationMs: result.durationMs,
    reason,
  };
  ctx.records.push(record);
  emit({ type: 'stage-end', pipeline: name, index: s.index, stageType: s.stage.type, id: s.stage.id, success, durationMs: result.durationMs, metadata: result.metadata, output: record.output });
  if (teardownError !== null && result.exitCode === 0 && !result.timedOut) {
    // The stage did its part, but what it wrote through a device or mount may be incomplete.
    await prepared.abort();
    throw teardownError;
  }
  const interrupted = ctx.interrupt.error();
  if (!success && interrupted !== null) {
    await prepared.abort();
    throw interrupted;
  }
  if (!success) {
    const keptTree = ctx.keepFailed ? await keepTree(store.root, prepared.treePath, s) : undefined;
    // Measured before the abort frees the layer: is the store's file system why it failed?
    const full = result.outputTail.some((line) => isNoSpace(line)) ? fileSystemOf(store.root) : undefined;
    await prepared.abort();
    throw stageFailedError({
      ...(full === undefined ? {} : { fullFileSystem: full }),
      keptTree,
      pipeline: name,
      stageType: s.stage.type,
      index: s.index,
      id: s.stage.id,
      exitCode: result.exitCode,
      signal: result.signal,
      timedOut: result.timedOut,
      timeoutMs: ctx.stageTimeoutMs,
      outputTail: teardownError === null ? result.outputTail : [...result.outputTail, `(then releasing its devices and mounts failed: ${(teardownError as Error).message})`],
    });
  }
  run.ran.push({ s, record, trail });
}

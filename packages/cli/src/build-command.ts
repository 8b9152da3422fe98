import { OsbuildError, dumpsPy, isOsbuildError, validationErrorDocument, type Manifest, type Registry, type ValidationIssue } from '@osbuild-ts/core';
import type { BuildResult, EngineEvent, ItemResult, StageRecord } from '@osbuild-ts/engine';
import { sourceFailureDocument, stageFailureDocument, successDocument, v1Document } from './result-document.js';
import { writeSync } from 'node:fs';
import { basename } from 'node:path';
import { isatty } from 'node:tty';
import type { CliArgs } from './args.js';
import type { Io } from './main.js';
import { renderError } from './render-error.js';

const SIGNAL_NUMBERS = { SIGINT: 2, SIGTERM: 15 } as const;

/**
 * SIGINT/SIGTERM abort the build (the engine kills its sandboxes and tears
 * everything down); a second one of the same kind falls back to Node's
 * default (exit at once). Returns the signal received, if any, and a
 * function that removes the handlers.
 */
function onInterrupt(controller: AbortController): { received: () => keyof typeof SIGNAL_NUMBERS | null; remove: () => void } {
  let received: keyof typeof SIGNAL_NUMBERS | null = null;
  const handlers = (Object.keys(SIGNAL_NUMBERS) as (keyof typeof SIGNAL_NUMBERS)[]).map((name) => {
    const handler = () => {
      received ??= name;
      controller.abort(name);
    };
    process.once(name, handler);
    return () => process.off(name, handler);
  });
  return { received: () => received, remove: () => handlers.forEach((off) => off()) };
}

/** Pipelines summary as osbuild prints it after a build (spec 5.2 step 15). */
export function summary(manifest: Manifest, checkpoints: readonly string[], cached: (id: string) => boolean): string {
  let text = '\nPipelines\n';
  for (const p of manifest.pipelines) text += `  ${(p.name + ':').padEnd(10)}\t${p.id}\n`;
  text += '\nCheckpoints\n';
  for (const id of checkpoints) text += `  ${id}: ${cached(id) ? 'cached' : 'not cached'}\n`;
  return text;
}

/** What @osbuild-ts/monitor's NullMonitor does (nothing), without loading that package. */
function nullMonitor(): import('@osbuild-ts/monitor').Monitor {
  return { name: 'NullMonitor', begin: () => undefined, event: () => undefined, end: () => undefined, summary: () => '' };
}

export interface ExportTarget {
  name: string;
  pipeline: string;
  destination?: string;
}

export async function buildCommand(
  args: CliArgs,
  io: Io,
  manifest: Manifest,
  registry: Registry,
  exports: ExportTarget[],
  checkpoints: string[],
  manifestName: string,
): Promise<number> {
  if (args.inVm.length > 0) throw new OsbuildError('E_NOT_IMPLEMENTED', '--in-vm is not implemented yet');
  if (args.output !== undefined) {
    // osbuild's first CLI: -o DIR received the assembler's output (v1 only).
    if (manifest.version !== 1) throw new OsbuildError('E_USAGE', '-o/--output is for v1 manifests; use --export NAME --output-directory DIR');
    const last = manifest.pipelines.find((p) => p.name === 'assembler') ?? manifest.pipelines.find((p) => p.name === 'tree');
    if (last) exports = [...exports, { name: last.name, pipeline: last.name, destination: args.output }];
  }
  if (args.sbom !== undefined && exports.length === 0) throw new OsbuildError('E_USAGE', '--sbom describes the exported pipelines: give at least one --export');
  // The engine and monitors load only when something is built: --inspect stays fast
  // (node:tty too: it brings net and streams; the start-up bundle requires it
  // on first use, rolldown.config.mjs, and an import() would start Node's ES
  // module loader). NullMonitor needs no monitor code, nor node:tty: whether
  // the monitor's fd is a terminal is asked only when a monitor is chosen by
  // it or writes to it (`--quiet`/`--json` runs never load node:tty).
  let isTerminal: boolean | undefined;
  const tty = () => (isTerminal ??= isatty(args.monitorFd));
  const name = args.monitor ?? (args.json || args.quiet ? 'NullMonitor' : tty() ? 'progress' : 'LogMonitor');
  const [{ buildManifest, readSourceOverrides }, { createMonitor, isMonitorName }] = await Promise.all([
    import('@osbuild-ts/engine'),
    name === 'NullMonitor' ? { createMonitor: nullMonitor, isMonitorName: (n: string): n is 'NullMonitor' => n === 'NullMonitor' } : import('@osbuild-ts/monitor'),
  ]);
  const sourceOverrides = args.sourceOverrides === undefined ? undefined : await readSourceOverrides(args.sourceOverrides);
  if (!isMonitorName(name)) {
    throw new OsbuildError('E_USAGE', `unknown monitor: ${name} (available: NullMonitor, LogMonitor, JSONSeqMonitor, progress)`);
  }
  const out = {
    // On fd 1 the monitor shares the writer with the summary, so their order holds.
    write: args.monitorFd === 1 ? io.stdout : (text: string) => void writeSync(args.monitorFd, text),
    get isTTY() {
      return tty();
    },
    columns: args.monitorFd === 1 ? process.stdout.columns : undefined,
  };
  let monitor: ReturnType<typeof createMonitor> | null = null;
  const onEvent = (event: EngineEvent) => {
    if (event.type === 'plan') {
      // osbuild counts the sources plus the pipelines that will run stages.
      const context = { manifestPath: manifestName, totalSteps: manifest.sources.length + event.toBuild.length, pipelines: manifest.pipelines, sources: manifest.sources };
      monitor = createMonitor(name, out, context, { verbose: args.verbose });
      monitor.begin();
      return;
    }
    (monitor as ReturnType<typeof createMonitor> | null)?.event(event);
  };
  // Loaded only when asked for; a cache that cannot be used is a usage error now, a registry that fails later only a warning.
  let remote: import('@osbuild-ts/remote-cache').RemoteCache | undefined;
  if (args.remoteCache !== undefined) {
    const { openRemoteCache, RemoteCacheUsageError } = await import('@osbuild-ts/remote-cache');
    try {
      remote = await openRemoteCache({
        url: args.remoteCache,
        mode: args.remoteCacheMode,
        ...(args.remoteCacheCa === undefined ? {} : { caFile: args.remoteCacheCa }),
        allowHttp: args.remoteCacheAllowHttp,
        onEvent: (event) => {
          if (event.action === 'warning') io.stderr(`warning: ${event.message}\n`);
        },
      });
    } catch (error) {
      if (error instanceof RemoteCacheUsageError) throw new OsbuildError('E_USAGE', error.message);
      throw error;
    }
  }
  let result: BuildResult;
  const controller = new AbortController();
  const interrupt = onInterrupt(controller);
  try {
    result = await buildManifest(manifest, registry, {
      signal: controller.signal,
      store: args.store,
      exports,
      outputDirectory: args.outputDirectory,
      checkpoints: new Set(checkpoints),
      maximumSize: args.cacheMaxSize === undefined ? undefined : args.cacheMaxSize === 'unlimited' ? 'unlimited' : Number(args.cacheMaxSize),
      stageTimeoutMs: args.stageTimeout === undefined ? undefined : args.stageTimeout * 1000,
      // Until --break opens a shell in the sandbox, it keeps the failed tree for a look.
      keepFailed: args.keepFailed || args.break !== undefined,
      sourceOverrides,
      offline: args.offline,
      onEvent,
      ...(remote === undefined ? {} : { remote }),
      // The SBOM lists the packages of the exports' input pipelines too: their records are needed even when the exports are cached.
      ...(args.sbom === undefined ? {} : { recordsOf: await sbomPipelines(manifest, exports.map((e) => e.pipeline)) }),
    });
  } catch (error) {
    (monitor as ReturnType<typeof createMonitor> | null)?.end(false);
    const details = (isOsbuildError(error) ? error.details : {}) as { stages?: StageRecord[]; sources?: Map<string, ItemResult[]>; results?: Map<string, ItemResult[]>; source?: { type: string; output: string } };
    const records = details.stages ?? [];
    const sources = details.results ?? details.sources ?? new Map<string, ItemResult[]>();
    const stageFailed = isOsbuildError(error) && (error.code === 'E_STAGE_FAILED' || error.code === 'E_STAGE_TIMEOUT');
    const sourceFailed = isOsbuildError(error) && (error.code === 'E_SOURCE_FETCH' || error.code === 'E_SOURCE_VERIFY') && details.source !== undefined;
    // A mount this host cannot make is reported like an invalid manifest (same exit status, same document).
    const interrupted = isOsbuildError(error) && error.code === 'E_INTERRUPTED';
    const hostUnsupported = isOsbuildError(error) && error.code === 'E_HOST_UNSUPPORTED' && Array.isArray(error.details.issues);
    if (args.json && hostUnsupported) io.stdout(dumpsPy(validationErrorDocument(error.details.issues as ValidationIssue[])) + '\n');
    else if (args.json && manifest.version === 1 && (stageFailed || sourceFailed)) io.stdout(dumpsPy(v1Document(manifest, records, false)) + '\n');
    else if (args.json && stageFailed) io.stdout(dumpsPy(stageFailureDocument(manifest, records, sources, error.message)) + '\n');
    else if (args.json && sourceFailed) io.stdout(dumpsPy(sourceFailureDocument(sources, details.source!)) + '\n');
    else if (args.json && interrupted) io.stdout(dumpsPy(manifest.version === 1 ? v1Document(manifest, records, false) : stageFailureDocument(manifest, records, sources, error.message)) + '\n');
    // Any other failure after stages ran (a full store, a failed export): the same document, so --json always says what ran.
    else if (args.json && manifest.version !== 1 && records.length > 0 && isOsbuildError(error)) io.stdout(dumpsPy(stageFailureDocument(manifest, records, sources, error.message)) + '\n');
    else if (!args.json) io.stdout('Failed\n');
    if (interrupted) {
      // Everything is torn down by now: say what was stopped, exit 128 + signal number.
      io.stderr(renderError(error));
      return 128 + SIGNAL_NUMBERS[interrupt.received() ?? 'SIGINT'];
    }
    throw error;
  } finally {
    interrupt.remove();
    await remote?.close();
  }
  (monitor as ReturnType<typeof createMonitor> | null)?.end(true);
  if (args.json) {
    const doc = manifest.version === 1 ? v1Document(manifest, result.stages, true) : successDocument(manifest, result.stages, result.sources);
    io.stdout(dumpsPy(doc) + '\n');
  }
  if (args.sbom !== undefined) {
    const { writeSbom } = await import('./sbom/write.js');
    const count = writeSbom(args.sbom, args.sbomFormat, manifest, basename(manifestName), result.stages, exports.map((e) => e.pipeline));
    if (!args.quiet) io.stderr(`wrote ${args.sbom} (${args.sbomFormat}, ${count} packages)\n`);
  }
  const committed = new Set(result.stages.map((s) => s.id));
  if (!args.json && !args.quiet) io.stdout(summary(manifest, checkpoints, (id) => committed.has(id)));
  return 0;
}

/** The pipelines whose packages `--sbom` lists: every export's content pipelines. */
async function sbomPipelines(manifest: Manifest, exportNames: readonly string[]): Promise<string[]> {
  const { contentPipelines } = await import('./sbom/collect.js');
  return [...new Set(exportNames.flatMap((name) => contentPipelines(manifest, name).map((p) => p.name)))];
}

import type { PyObject } from '@osbuild-ts/core';
import type { BuildEvent } from '@osbuild-ts/engine';

export type MonitorName = 'NullMonitor' | 'LogMonitor' | 'JSONSeqMonitor' | 'progress';

/** Where a monitor writes (`--monitor-fd`, stdout or stderr). Text is written as it comes, unbuffered. */
export interface MonitorOutput {
  write(text: string): void;
  /** Only a TTY gets escape sequences (LogMonitor's bold titles, the progress view's bars and colours). */
  isTTY?: boolean;
  /** Terminal width; progress lines are cut to it. */
  columns?: number;
}

/**
 * What a monitor needs to know about a pipeline that the engine's events do
 * not carry. Core's manifest `Pipeline` has this shape, so the CLI can pass
 * `manifest.pipelines` as they are.
 */
export interface MonitorPipeline {
  name: string;
  id: string | null;
  /** Id of the build pipeline; null for the host. */
  build: string | null;
  runner: { name: string; file: string };
  sourceEpoch?: bigint;
  /** Built inside a VM (`--in-vm`): LogMonitor appends ` in vm` to the runner line. */
  inVm?: boolean;
  stages: readonly { type: string; id: string; options: PyObject }[];
}

/** A source of the manifest; core's `SourceSpec` has this shape. */
export interface MonitorSource {
  type: string;
  items: PyObject;
}

export interface MonitorContext {
  /** The manifest path as given on the command line (`-` for stdin). */
  manifestPath: string;
  /** `#sources + #pipelines to build` (pipelines whose object is not in the store yet), as osbuild counts them. */
  totalSteps: number;
  pipelines: readonly MonitorPipeline[];
  /** In manifest order. */
  sources?: readonly MonitorSource[];
}

export interface MonitorOptions {
  /** Progress view: show every stage's output as it streams, not only a failed stage's. */
  verbose?: boolean;
  /** Progress view: colours on a TTY (default: on unless `NO_COLOR` is set). */
  color?: boolean;
  /** Wall clock in seconds since the epoch (JSON-seq `timestamp`); for tests. */
  now?: () => number;
}

/**
 * Source events, as the engine's source fetcher reports them (its
 * `SourceEvent` is assignable to this). Sources are fetched one type after
 * another, before any pipeline: `source-start` and `source-end` may be left
 * out (a source is then opened by its first event and closed by the next
 * source's first event, the first pipeline event, or `end()`).
 */
export type SourceEvent =
  /** `items` in the manifest, `cached` of them already in the store. */
  | { type: 'source-start'; source: string; items?: number; cached?: number }
  /**
   * `bytes`: received so far for this item, `total`: its size when known;
   * `done` of the `fetching` items are finished, `received` sums the bytes over them.
   */
  | { type: 'source-progress'; source: string; checksum: string; bytes: number; total?: number; done?: number; fetching?: number; received?: number }
  /** One item's outcome: fetched (`cached: false`), already there (`cached: true`) or failed. */
  | { type: 'source-item'; source: string; checksum: string; success: boolean; cached: boolean; error?: string; url?: string }
  /** A line the source plugin printed (without newline). */
  | { type: 'source-log'; source: string; line: string }
  | { type: 'source-end'; source: string; success: boolean; durationMs?: number };

export type MonitorEvent = BuildEvent | SourceEvent;

export interface Monitor {
  readonly name: MonitorName;
  /** Before sources are fetched: `starting <manifest>`. */
  begin(): void;
  event(event: MonitorEvent): void;
  /** After the build (or its failure): `manifest <path> finished successfully` / `failed`; the progress view also prints its summary. */
  end(success: boolean): void;
  /** The progress view's summary table (empty for the osbuild monitors). */
  summary(): string;
}

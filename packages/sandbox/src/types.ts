import type { OutputHandler } from './output.js';

/** One bubblewrap mount: `ro` → --ro-bind, `rw` → --bind, `dev` → --dev-bind. */
export interface Bind {
  kind: 'ro' | 'rw' | 'dev';
  source: string;
  dest: string;
}

/** A symlink created inside the sandbox (`--symlink target link`). */
export interface Symlink {
  target: string;
  link: string;
}

/** Fixed paths inside the sandbox (the stage runtime contract, spec 8.2–8.4). */
export const SANDBOX_PATHS = {
  tree: '/run/osbuild/tree',
  inputs: '/run/osbuild/inputs',
  mounts: '/run/osbuild/mounts',
  output: '/run/osbuild/output',
  api: '/run/osbuild/api',
  arguments: '/run/osbuild/api/arguments',
  meta: '/run/osbuild/meta',
  runner: '/run/osbuild/runner/node-runner.mjs',
  nodeDir: '/run/osbuild/node',
} as const;

/** An input, bound read-only at /run/osbuild/inputs/<name>. */
export interface StageInput {
  name: string;
  hostPath: string;
}

/** What a stage works on. Each may be given to prewarm() (mounted before the sandbox starts) or to start(). */
export interface StageMounts {
  /** Host path of the tree, bound at /run/osbuild/tree. */
  tree?: string;
  /** Assemblers get the tree read-only. */
  treeReadOnly?: boolean;
  inputs?: readonly StageInput[];
  /** Host directory bound read-write at /run/osbuild/output (assemblers). */
  outputDir?: string | null;
}

/** What is known about a stage before its turn: enough to start its sandbox. */
export interface RunnerSpec extends StageMounts {
  /** Host path of the plugin's entry, an ES module. */
  entry: string;
  /** The plugin's package directory: it and its production dependencies are bound read-only at their real paths. */
  packageDir: string;
  /** Build root (the build pipeline's tree), or null for the host's /usr. */
  root: string | null;
  /** Capabilities the plugin declares on top of the stage set (e.g. CAP_MAC_ADMIN). */
  capabilities?: readonly string[];
  /** Added to the stage environment (SOURCE_DATE_EPOCH…). */
  env?: Readonly<Record<string, string>>;
  /** Stage name, for messages only. */
  name?: string;
  /**
   * Host device nodes the stage may use (`/dev/loop3`: its devices), bound at
   * the same path into its `/dev`. Only at prewarm: bwrap binds them.
   */
  devices?: readonly string[];
  /**
   * Host directory shown at /run/osbuild/mounts, with everything mounted
   * below it (the stage's mounts), instead of an empty one. Only at prewarm.
   */
  mountsDir?: string;
}

/** What is known when the stage's turn comes. */
export interface StartSpec extends StageMounts {
  /** The arguments document: an object is serialised as JSON, a string is used byte for byte. */
  arguments: unknown;
  /** More environment, applied just before the entry is imported. */
  env?: Readonly<Record<string, string>>;
  /** Kill the whole sandbox after this long (counted from "go"). */
  timeoutMs?: number;
  onOutput?: OutputHandler;
  /** How many trailing output lines the result keeps (default 50). */
  tailLines?: number;
}

export interface SandboxResult {
  /** Exit status, or null when killed by a signal. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** From "go" to exit. */
  durationMs: number;
  /** The last lines of stdout and stderr, interleaved as they arrived. */
  outputTail: string[];
  /** The JSON value the stage wrote to /run/osbuild/meta, or null when it wrote none. */
  metadata: unknown;
  /** Set when /run/osbuild/meta held something that is not JSON. */
  metadataError?: string;
}

/** A sandbox started ahead of its stage; it runs exactly one stage, then exits. */
export interface Runner {
  /** Resolves once the sandboxed Node is up and waiting; rejects if the sandbox could not be set up. */
  readonly ready: Promise<void>;
  start(spec: StartSpec): Promise<SandboxResult>;
  /** Stop the runner whatever its state and remove everything it made. */
  dispose(): Promise<void>;
}

export interface BuildSandbox {
  /** The directory holding this build's sandbox areas (inside `buildDir`). */
  readonly dir: string;
  prewarm(spec: RunnerSpec): Runner;
  /** Dispose every runner, unmount the build's areas, delete `dir`. */
  close(): Promise<void>;
}

export interface BuildSandboxOptions {
  /** Where to create the build's areas: a directory on the store's file system (its tmp/, say). */
  buildDir: string;
}

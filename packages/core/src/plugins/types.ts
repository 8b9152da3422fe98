/**
 * Plain data describing installed plugins. Everything here is read from a
 * package's `package.json` (its `osbuild` field); nothing is imported from the
 * plugin itself — the sandbox runs `entryPath`, core never does.
 */

export const PLUGIN_KINDS = ['stage', 'assembler', 'source', 'input', 'device', 'mount'] as const;
export type PluginKind = (typeof PLUGIN_KINDS)[number];

/** The `osbuild.apiVersion` values this core understands (inclusive range). */
export const SUPPORTED_API_VERSIONS = { min: 1, max: 1 } as const;

/** A build-root or host tool the plugin runs, and the distro package providing it. */
export interface PluginTool {
  /** The command, or alternatives of which one suffices (`grub2-mkimage` on Fedora, `grub-mkimage` on Debian). */
  command: string | string[];
  package: string;
}

export interface PluginRecord {
  kind: PluginKind;
  /** Module name as manifests spell it, e.g. `org.osbuild.rpm`. */
  name: string;
  packageName: string;
  version: string;
  /** Real path of the package directory (symlinks resolved). */
  packageDir: string;
  /** Real path of the schema file, inside `packageDir`. */
  schemaPath: string;
  /** Real path of the entry module, inside `packageDir`. */
  entryPath: string;
  capabilities: string[];
  tools: PluginTool[];
  /** Mount plugins: the kernel file system type they need (`osbuild.filesystem`), checked before a build. */
  filesystem?: string;
  /**
   * Stages: real path of the resolver module (`osbuild.resolve`), which the
   * CLI imports on the host before a build to lock the stage's content
   * (packages/cli/src/lock). Inside `packageDir`, so the fingerprint covers it.
   */
  resolvePath?: string;
  apiVersion: number;
  /** The `node_modules` directory the package was found in (not realpath'd). */
  foundVia: string;
}

/** Identifies exactly what ran: part of every cache key of objects the plugin built. */
export interface PluginFingerprint {
  name: string;
  version: string;
  /** sha256 hex over the package's files (sorted relative paths and bytes). */
  contentHash: string;
}

export interface DiscoveryInfo {
  /** Real path of the directory discovery started from. */
  projectDir: string;
  /** Where the discovery index and compiled validators live; null: nothing persisted. */
  cacheDir: string | null;
  /** True when the registry came from the persisted index without a scan. */
  fromCache: boolean;
  /** Every `node_modules` directory looked at, nearest first (existing or not). */
  searched: string[];
}

export interface Registry {
  get(kind: PluginKind, name: string): PluginRecord | undefined;
  /** All plugins, sorted by kind then name. */
  list(): PluginRecord[];
  /** Up to three installed names of that kind that look like `name`, best first. */
  closest(kind: PluginKind, name: string): string[];
  readonly discovery: DiscoveryInfo;
}

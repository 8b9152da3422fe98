/**
 * The source protocol, version 1. The engine runs a source plugin's entry on
 * the host (`node <entry>`), writes one request document to its stdin, and
 * reads newline-delimited JSON messages from its stdout; any other line on
 * stdout or stderr is log output. Exit status 0 iff every item succeeded.
 */

export const SOURCE_API_VERSION = 1;

export interface SourceRequest<Item = unknown, Options = Record<string, unknown>, Overrides = Record<string, unknown>> {
  apiVersion: 1;
  /** Only the items not yet in the cache: checksum → item as the manifest wrote it. */
  items: Record<string, Item>;
  /** The source's options from the manifest (v1: the whole source object, as osbuild passes it). */
  options: Options;
  /** This source type's section of the user's overrides file (`{}` when none). */
  overrides: Overrides;
  /** Where finished files go, as `<cache>/<checksum>`: `<store>/sources/<content type>`. */
  cache: string;
  /** A private scratch directory on the cache's filesystem; the engine removes it afterwards. */
  tmp: string;
  /** How many items may be fetched at once. */
  parallel: number;
  /** Touch no network: items that would need it fail. */
  offline: boolean;
}

/** Why an item failed: `verify` (wrong bytes), `fetch` (could not get them), `offline`, `unsupported` (an item this plugin cannot handle). */
export type FailureReason = 'fetch' | 'verify' | 'offline' | 'unsupported';

export interface ProgressMessage {
  type: 'progress';
  checksum: string;
  /** Bytes of the item received so far. */
  bytes: number;
  /** The item's size, when known. */
  total?: number;
}

export interface ItemMessage {
  type: 'item';
  checksum: string;
  success: boolean;
  /** True when nothing was written: the item was already in the cache. */
  cached: boolean;
  error?: string;
  reason?: FailureReason;
  /** Where the bytes came from (success) or the last place tried (failure). */
  url?: string;
  /** With reason `verify`: the checksum of the bytes received. */
  actual?: string;
}

/** A failure of the whole source (bad overrides, an unusable request) rather than of one item. */
export interface ErrorMessage {
  type: 'error';
  message: string;
}

export type SourceMessage = ProgressMessage | ItemMessage | ErrorMessage;

/**
 * What fetching sources reports, for monitors (one stream with the build's
 * events; the CLI unions the two types).
 */
export type SourceEvent =
  /** A source begins: `items` in the manifest, `cached` of them already in the store. */
  | { type: 'source-start'; source: string; items: number; cached: number }
  /** Bytes of one item; `done`/`fetching` count finished and all items being fetched, `received` sums bytes over them. */
  | { type: 'source-progress'; source: string; checksum: string; bytes: number; total?: number; done: number; fetching: number; received: number }
  /** The outcome of one item (cached ones included). */
  | { type: 'source-item'; source: string; checksum: string; success: boolean; cached: boolean; error?: string; url?: string }
  /** A line the source plugin printed. */
  | { type: 'source-log'; source: string; line: string }
  | { type: 'source-end'; source: string; success: boolean; durationMs: number };

export type SourceEventSink = (event: SourceEvent) => void;

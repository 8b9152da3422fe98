/** The outcome of one source item, as the run's result reports it. */
export interface ItemResult {
  checksum: string;
  success: boolean;
  /** Already in the store: nothing was fetched. */
  cached: boolean;
  error?: string;
  /** Why it failed: `verify` (wrong bytes), `fetch`, `offline`, `unsupported`. */
  reason?: string;
  /** Where the bytes came from, or the last place tried. */
  url?: string;
  /** With reason `verify`: the checksum of the bytes received. */
  actual?: string;
}

/**
 * osbuild's `sources` member of the `--json` result (spec 6):
 * `{"success": b, "<source type>": [{"checksum", "cached"} | {"checksum", "error"}, …]}`.
 */
export function sourcesResultDocument(results: ReadonlyMap<string, readonly ItemResult[]>): Record<string, unknown> {
  const doc: Record<string, unknown> = { success: [...results.values()].every((items) => items.every((r) => r.success)) };
  for (const [type, items] of results) {
    doc[type] = items.map((r) => (r.success ? { cached: r.cached, checksum: r.checksum } : { checksum: r.checksum, error: r.error ?? 'failed' }));
  }
  return doc;
}

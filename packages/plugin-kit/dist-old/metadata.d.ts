/**
 * Records the stage's metadata (one JSON object). The engine stores it with
 * the object and reports it in `--json` results; a later call replaces it.
 */
export declare function writeMetadata(metadata: Record<string, unknown>): void;

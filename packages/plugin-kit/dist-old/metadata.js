import { writeFileSync } from 'node:fs';
import { META_PATH } from './arguments.js';
/**
 * Records the stage's metadata (one JSON object). The engine stores it with
 * the object and reports it in `--json` results; a later call replaces it.
 */
export function writeMetadata(metadata) {
    writeFileSync(process.env.OSBUILD_META_FILE ?? META_PATH, JSON.stringify(metadata));
}
//# sourceMappingURL=metadata.js.map
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
/** A temporary directory, removed when the test ends (failed or not). Needs vitest. */
export function testdir(prefix) {
    const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
}
//# sourceMappingURL=test-dir.js.map
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testdir } from './test-dir.js';
/**
 * An `org.osbuild.files` input holding `bytes` as one file named by its
 * checksum, as the engine lays it out; removed when the test ends.
 */
export function filesInput(bytes) {
    const checksum = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    const dir = testdir('files-input');
    writeFileSync(join(dir, checksum), bytes);
    return { path: dir, data: { files: { [checksum]: {} } } };
}
/** A few MiB of compressible but not trivial bytes, the same every call. */
export function sampleBytes(size = 3 << 20) {
    const out = Buffer.alloc(size);
    let x = 12345;
    for (let i = 0; i < size; i++) {
        x = (x * 1103515245 + 12345) >>> 0;
        out[i] = i % 7 === 0 ? (x >>> 24) & 0xff : 0x41 + (i % 23);
    }
    return out;
}
//# sourceMappingURL=files-input.js.map
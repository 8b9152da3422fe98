import type { InputArgument } from './arguments.js';
/**
 * An `org.osbuild.files` input holding `bytes` as one file named by its
 * checksum, as the engine lays it out; removed when the test ends.
 */
export declare function filesInput(bytes: Buffer): InputArgument;
/** A few MiB of compressible but not trivial bytes, the same every call. */
export declare function sampleBytes(size?: number): Buffer;

/** A temporary directory, removed when the test ends (failed or not). Needs vitest. */
export declare function testdir(prefix: string): string;

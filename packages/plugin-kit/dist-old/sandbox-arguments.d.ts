/** What a test or benchmark knows about a stage run in the real sandbox. */
export interface SandboxArgumentsSpec {
    options: Record<string, unknown>;
    /** Input name → its `data` (e.g. `{files}`); each is bound at /run/osbuild/inputs/<name>. */
    inputs?: Record<string, Record<string, unknown> | null>;
    /** The stage id in `meta`. Default: 64 zeros. */
    id?: string;
    sourceEpoch?: number;
}
/**
 * The arguments document the engine gives a stage inside the sandbox (spec
 * §8.2), for tests and benchmarks that call the sandbox directly: the fixed
 * sandbox paths, no devices or mounts.
 */
export declare function sandboxArguments(spec: SandboxArgumentsSpec): Record<string, unknown>;

/**
 * The resolver contract (`osbuild.resolve` in a stage's package.json).
 *
 * Stages never have network. A stage whose manifest names content loosely
 * (a suite and package names, not checksums) declares a resolver: a module
 * the `osbuild` CLI imports on the host before anything runs. Its default
 * export (or named export `resolve`) turns the stage's options into
 * checksummed source items and extra inputs of that stage. The CLI records
 * the result in a lock file beside the manifest, adds the inputs and items
 * when it builds, and folds them into the stage's cache key; the manifest's
 * object ids stay those of the manifest as written.
 */
/** What an earlier resolved stage of the same pipeline handed on. */
export interface ResolvedStage {
    type: string;
    index: number;
    /** The `state` its resolver returned. */
    state: unknown;
}
export interface ResolveRequest<Options = Record<string, unknown>> {
    /** The stage's type and options, as written in the manifest. */
    type: string;
    options: Options;
    pipeline: string;
    /** Position of the stage in its pipeline. */
    index: number;
    /** The resolved stages before this one in the pipeline, nearest last. */
    previous: ResolvedStage[];
    /** Progress lines (stderr). */
    log: (line: string) => void;
}
export interface ResolveResult {
    /** Source items by source type: `{"org.osbuild.curl": {"sha256:…": {"url": …}}}`. */
    sources: Record<string, Record<string, unknown>>;
    /** Inputs added to the stage, by name, in manifest v2 form. */
    inputs: Record<string, unknown>;
    /** Anything later resolvers of the pipeline need (JSON); recorded in the lock. */
    state?: unknown;
    /**
     * dpkg architectures (`amd64`, `arm64`…) whose binaries the stage runs.
     * For one the build machine cannot run, `osbuild` registers qemu-user
     * with binfmt_misc for the build and removes it afterwards.
     */
    architectures?: string[];
}
export type Resolver<Options = Record<string, unknown>> = (request: ResolveRequest<Options>) => Promise<ResolveResult>;

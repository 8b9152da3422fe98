export interface OsbuildRun {
    /** The CLI's `bin/osbuild.js` (a test's dev dependency on @osbuild-ts/cli). */
    cli: string;
    /** Plugin package directories to install in the throwaway project. */
    plugins: readonly string[];
    manifest: unknown;
    /** Pipelines to export. */
    exports: readonly string[];
    /** Scratch directory for the project, store and output (the caller removes it). */
    work: string;
    /** A fresh store for this run (default), or this store directory. */
    store?: string;
}
export interface OsbuildResult {
    output: string;
    result: {
        success: boolean;
    } & Record<string, unknown>;
}
/**
 * Builds a manifest with the real `osbuild` CLI, sandbox and store, with
 * only `plugins` installed (symlinked into a project's node_modules as npm
 * would), and returns where the exports are. Each run gets a fresh store
 * unless one is given: two runs of one manifest show whether a rebuild
 * from nothing gives the same bytes.
 */
export declare function runOsbuild(run: OsbuildRun): OsbuildResult;
/**
 * A manifest `sources` entry and `org.osbuild.untar` stage that put the
 * tar archive `tarball` (bytes) into a pipeline's tree, carried inline in
 * the manifest: how output tests get an exact tree (owners, devices,
 * xattrs) into a build without a network.
 */
export declare function inlineTreeStage(tarball: Buffer): {
    sources: Record<string, unknown>;
    stage: Record<string, unknown>;
};
/**
 * A pipeline `name` whose tree is exactly `tree` (owners, modes, xattrs,
 * devices, links: a tar of it carried inline and unpacked by
 * `org.osbuild.untar`), and the manifest `sources` it needs. Needs the
 * packages source-inline and stage-untar in the run's plugins.
 */
export declare function treePipeline(tree: string, name?: string, sourceEpoch?: number): {
    sources: Record<string, unknown>;
    pipeline: Record<string, unknown>;
};
/** An `org.osbuild.tree` input of pipeline `name`. */
export declare function treeInput(name: string): Record<string, unknown>;
/** An `org.osbuild.files` input of the file `file` in pipeline `name`'s tree. */
export declare function pipelineFileInput(name: string, file: string): Record<string, unknown>;
/** sha256 of every file below `dir` (relative paths), to compare two builds' exports. */
export declare function exportDigests(dir: string): Record<string, string>;

import type { StageArguments } from './arguments.js';
export interface LocalRunOptions {
    /** The stage's entry module (host path). */
    entry: string;
    /** The tree the stage works on (host directory). */
    tree: string;
    options?: Record<string, unknown>;
    inputs?: StageArguments['inputs'];
    mounts?: StageArguments['mounts'];
    /** Devices as the engine names them (spec §8.2): `{name: {path, node?}}`, paths on the host. */
    devices?: StageArguments['devices'];
    /** Overrides of the arguments' `paths`; by default `devices` is /dev and `inputs` and `mounts` are empty. */
    paths?: Partial<StageArguments['paths']>;
    /** The stage id in `meta`. Default: 64 zeros. */
    id?: string;
    /** The pipeline's `source-epoch`: `meta['source-epoch']` and SOURCE_DATE_EPOCH, as the engine gives them. */
    sourceEpoch?: number;
    /** Added to the host's environment (and wins over what sourceEpoch sets). */
    env?: Record<string, string>;
}
export interface LocalRunResult {
    exitCode: number | null;
    output: string;
    metadata: Record<string, unknown> | null;
}
/**
 * Runs a stage entry against a directory, without a sandbox: for a plugin's
 * own unit tests. The engine never uses this; builds always run sandboxed.
 */
export declare function runStageLocally(run: LocalRunOptions): Promise<LocalRunResult>;

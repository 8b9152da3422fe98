import type { StageArguments } from './arguments.js';
/**
 * The pipeline's source epoch (seconds), from the arguments' meta or
 * SOURCE_DATE_EPOCH (the engine sets both): when there is one, every time
 * a stage would take from the clock or from the host's copy of the
 * tree (ctime, atime) is this instead. Null without one.
 */
export declare function sourceEpoch(args: StageArguments<unknown>, env?: NodeJS.ProcessEnv): number | null;

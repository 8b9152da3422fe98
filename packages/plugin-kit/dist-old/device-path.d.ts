import type { StageArguments } from './arguments.js';
/**
 * The path of the device the manifest names `name` in the stage's `devices`
 * (upstream's disk stages all use `device`); `role` says what the stage wants
 * it for, in the error when it is missing. A regular file serves too
 * (upstream's own tests use one), so only a missing path or a directory is
 * refused.
 */
export declare function devicePath(args: StageArguments<unknown>, name: string, role: string): string;

import type { StageArguments } from './arguments.js';
/**
 * The one file of a files input (`org.osbuild.files`, whose files are
 * named by checksum in its directory), as stages that take a single file
 * (`untar`, `gunzip`, `xz`, `zstd`) need it. `what` says what the file is
 * for, in the error messages.
 */
export declare function singleFileInput(args: StageArguments<unknown>, name?: string, what?: string): string;
/**
 * Where a stage writes its output file: `filename` inside the tree, a
 * leading `/` ignored as upstream does. A name that would land outside the
 * tree, or that names a directory, is refused; upstream would write there.
 */
export declare function outputPath(tree: string, filename: string, option?: string): string;

/**
 * The latest mtime (whole seconds) of anything in the tree: a time for
 * what a stage writes that is not the clock when there is no source epoch.
 */
export declare function newestMtime(root: string): number;

import type { StageArguments } from './arguments.js';
/**
 * Turns an osbuild location (`tree:///p`, `mount://name/p`, `input://name/p`,
 * or a plain path meaning the tree) into a path in the sandbox. Refuses
 * locations that climb out of their root with `..`.
 */
export declare function resolveLocation(args: StageArguments<unknown>, location: string): string;
/** A location's root (the tree, a mount's or an input's directory) and the path it names under it. */
export declare function locationParts(args: StageArguments<unknown>, location: string): {
    root: string;
    path: string;
};
/**
 * Refuses a path under `root` whose existing components include a symlink
 * that leads out of `root` (an absolute link, or one climbing with `..`,
 * left by an earlier stage or an archive): writing through it would put
 * files outside the tree, in the sandbox or on the host, and lose them.
 * Components that do not exist yet are fine (they will be made inside).
 * The message names `what` (the option or member) and the link.
 */
export declare function refuseLinksOut(root: string, path: string, what: string): void;

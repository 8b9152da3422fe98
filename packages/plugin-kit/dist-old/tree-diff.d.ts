/** What changed about one path present in both trees; each entry is `[before, after]`. */
export interface TreeDifference {
    /** The whole `st_mode`, file type bits included. When it differs nothing else is compared. */
    mode?: [number, number];
    uid?: [number, number];
    gid?: [number, number];
    /** `sha256:<hex>` of each file, or `[null, null]` for files that carry timestamps (see TIMESTAMPED_FILES). */
    content?: [string | null, string | null];
    symlink?: [string, string];
    /** Upstream's SELinux label comparison; never reported here (see treeDiff). */
    selinux?: [string, string];
}
/** The report of osbuild's `tools/tree-diff`, the shape of its stage tests' `diff.json`. */
export interface TreeDiff {
    added_files: string[];
    deleted_files: string[];
    differences: Record<string, TreeDifference>;
}
/**
 * Files whose content holds the time they were written, so only the fact
 * that they changed is reported. By base name, anywhere in the tree, as
 * upstream does.
 */
export declare const TIMESTAMPED_FILES: readonly string[];
/**
 * Compares two directory trees the way osbuild's `tools/tree-diff` does, so a
 * stage test can check a tree against a committed `diff.json`:
 *
 * - paths are absolute from the tree root (`/etc/hostname`); the root is `/`;
 * - a path only in `after` is in `added_files`, only in `before` in
 *   `deleted_files`, and so is everything below an added or deleted
 *   directory; both lists are sorted;
 * - for a path in both, a different `mode` is reported alone (and a
 *   directory whose mode changed is not descended into); otherwise `uid`,
 *   `gid`, then for symlinks their targets, for regular files the sha256 of
 *   their content;
 * - times, sizes, link counts and extended attributes are not compared.
 *
 * Upstream also compares SELinux labels; Node cannot read extended
 * attributes, so `selinux` is never reported here. File names must be UTF-8.
 */
export declare function treeDiff(before: string, after: string): TreeDiff;

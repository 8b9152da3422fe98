export interface TreeListingOptions {
    /** Compare modification times too (seconds). Default true. */
    mtime?: boolean;
    /** Leave these relative paths (and what is below them) out. */
    exclude?: readonly string[];
    /** Leave extended attributes whose names match this out (e.g. `/^security\.selinux$/`). */
    ignoreXattr?: RegExp;
}
/**
 * One line per entry of a tree, sorted by path: type, mode, owner, size,
 * content hash, link target, device numbers, hard-link group (the first
 * path of the inode), extended attributes and, by default, mtime. Two trees
 * with equal listings are equal in everything an archive or a file system
 * image is meant to keep, which is what output-format tests compare.
 */
export declare function treeListing(root: string, options?: TreeListingOptions): string[];
/**
 * A small tree with everything an archive must keep: owners, setuid and
 * sticky modes, an empty directory, a hard link, symlinks, a character and
 * a block device, a FIFO, extended attributes, an old mtime and a name with
 * a space. Needs root (owners, device nodes).
 */
export declare function richTree(root: string): string;

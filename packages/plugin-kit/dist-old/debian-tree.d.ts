/** Which Debian tree to make: the same options give the same cached tarball. */
export interface DebianTreeOptions {
    /** The Debian suite, as the host's apt sources name it. Default `bookworm`. */
    suite?: string;
    /** mmdebstrap's `--variant`. Default `minbase` (essential and required packages, apt). */
    variant?: string;
    /** Packages to install on top of the variant (`--include`). */
    include?: readonly string[];
    /** Where tarballs are kept. Default `$XDG_CACHE_HOME/osbuild-ts/test-trees`, else `/var/cache/osbuild-ts/test-trees`. */
    cacheDir?: string;
}
/**
 * Why this machine cannot make Debian trees for tests, or null when it can:
 * that needs root (trees hold files of many owners) and mmdebstrap.
 */
export declare function debianTreeUnavailable(): string | null;
/**
 * The path of a tarball of a Debian tree made with mmdebstrap from the
 * host's apt sources, made on first use and cached under a name derived
 * from the options, the sources and the architecture. Processes that ask at
 * the same time wait for one maker; the tarball appears whole or not at all.
 */
export declare function debianTreeTarball(options?: DebianTreeOptions): Promise<string>;
/**
 * Makes `target` (created if missing) a Debian tree: the cached tarball of
 * debianTreeTarball, extracted with owners, modes and device nodes.
 */
export declare function makeDebianTree(target: string, options?: DebianTreeOptions): Promise<void>;
/**
 * Copies a tree to `target` (which must not exist) with owners, modes,
 * links and device nodes: `cp -a`, sharing blocks where the filesystem can.
 */
export declare function copyTree(tree: string, target: string): Promise<void>;

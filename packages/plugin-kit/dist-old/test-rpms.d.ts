export interface TestRpm {
    /** The package name, from the file name: `osbt-hello`. */
    name: string;
    /** File name: `osbt-hello-1.0-1.noarch.rpm`. */
    file: string;
    /** Where the built file is (a shared cache: copy it before changing it). */
    source: string;
    /** `sha256:<hex>` of the file: its key as a source item. */
    checksum: string;
}
export interface BuildRpmsOptions {
    /** A directory of `*.spec` files; each is built with `rpmbuild -bb`. */
    specDir: string;
    /** Files the specs use as `SourceN:` (file name in SOURCES → host path); they enter the cache key. */
    sources?: Record<string, string>;
    /** Where built sets are kept. Default: the OS temporary directory. */
    cacheDir?: string;
}
/**
 * RPMs built with the host's rpmbuild from a directory of spec files, for
 * tests, samples and benchmarks. Built once per content of the specs and
 * their sources and kept, so every test file (and the next run) sees the same
 * bytes; concurrent makers race harmlessly (the first rename wins).
 */
export declare function buildRpms(options: BuildRpmsOptions): TestRpm[];
/**
 * Debian's statically linked busybox (package `busybox-static`), fetched
 * with `apt-get download` through the host's apt configuration and kept
 * under `/var/cache/osbuild-ts` (or `$XDG_CACHE_HOME/osbuild-ts`). Test RPM
 * sets package it as the `/bin/sh` their shell scriptlets run with inside a
 * tree; nothing is installed on the host.
 */
export declare function busyboxStatic(): string;

/**
 * The resolver contract (`osbuild.resolve` in a stage's package.json).
 *
 * Stages never have network. A stage whose manifest names content loosely
 * (a suite and package names, not checksums) declares a resolver: a module
 * the `osbuild` CLI imports on the host before anything runs. Its default
 * export (or named export `resolve`) turns the stage's options into
 * checksummed source items and extra inputs of that stage. The CLI records
 * the result in a lock file beside the manifest, adds the inputs and items
 * when it builds, and folds them into the stage's cache key; the manifest's
 * object ids stay those of the manifest as written.
 */
export {};
//# sourceMappingURL=resolver.js.map
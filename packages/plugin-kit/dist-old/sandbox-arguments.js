/**
 * The arguments document the engine gives a stage inside the sandbox (spec
 * §8.2), for tests and benchmarks that call the sandbox directly: the fixed
 * sandbox paths, no devices or mounts.
 */
export function sandboxArguments(spec) {
    const inputs = Object.fromEntries(Object.entries(spec.inputs ?? {}).map(([name, data]) => [name, { path: `/run/osbuild/inputs/${name}`, ...(data ? { data } : {}) }]));
    return {
        tree: '/run/osbuild/tree',
        paths: { devices: '/dev', inputs: '/run/osbuild/inputs', mounts: '/run/osbuild/mounts' },
        devices: {},
        inputs,
        mounts: {},
        options: spec.options,
        meta: { id: spec.id ?? '0'.repeat(64), ...(spec.sourceEpoch !== undefined ? { 'source-epoch': spec.sourceEpoch } : {}) },
    };
}
//# sourceMappingURL=sandbox-arguments.js.map
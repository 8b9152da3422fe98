import { existsSync, readFileSync } from 'node:fs';
import { parsePythonJson } from './parse-arguments.js';
/** Where the sandbox puts things; the test harness points these elsewhere. */
export const ARGUMENTS_PATH = '/run/osbuild/api/arguments';
export const META_PATH = '/run/osbuild/meta';
function argumentsPath() {
    return process.env.OSBUILD_ARGUMENTS_FILE ?? ARGUMENTS_PATH;
}
/** Reads the arguments from the api file, or from stdin where there is none. */
export function readArguments() {
    const path = argumentsPath();
    const text = existsSync(path) ? readFileSync(path, 'utf8') : readFileSync(0, 'utf8');
    const doc = parsePythonJson(text);
    return {
        tree: doc.tree ?? '/run/osbuild/tree',
        paths: doc.paths ?? { devices: '/dev', inputs: '/run/osbuild/inputs', mounts: '/run/osbuild/mounts' },
        devices: doc.devices ?? {},
        inputs: doc.inputs ?? {},
        mounts: doc.mounts ?? {},
        options: doc.options ?? {},
        meta: doc.meta ?? { id: '' },
    };
}
//# sourceMappingURL=arguments.js.map
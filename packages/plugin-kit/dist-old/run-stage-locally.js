import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
/**
 * Runs a stage entry against a directory, without a sandbox: for a plugin's
 * own unit tests. The engine never uses this; builds always run sandboxed.
 */
export async function runStageLocally(run) {
    const api = mkdtempSync(join(tmpdir(), 'osbuild-kit-'));
    try {
        const argumentsFile = join(api, 'arguments');
        const metaFile = join(api, 'meta');
        writeFileSync(argumentsFile, JSON.stringify(localArguments(run)));
        writeFileSync(metaFile, '');
        const child = spawn(process.execPath, [...typeScriptLoader(run.entry), run.entry], {
            env: { ...localEnvironment(run), OSBUILD_ARGUMENTS_FILE: argumentsFile, OSBUILD_META_FILE: metaFile },
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        child.stdout.on('data', (chunk) => (output += chunk.toString('utf8')));
        child.stderr.on('data', (chunk) => (output += chunk.toString('utf8')));
        const exitCode = await new Promise((resolve, reject) => {
            child.on('error', reject);
            child.on('close', (code) => resolve(code));
        });
        const meta = readFileSync(metaFile, 'utf8');
        return { exitCode, output, metadata: meta.trim() === '' ? null : JSON.parse(meta) };
    }
    finally {
        rmSync(api, { recursive: true, force: true });
    }
}
/** The arguments document (spec §8.2, in its key order) for a local run. */
function localArguments(run) {
    if (run.sourceEpoch !== undefined && !(Number.isSafeInteger(run.sourceEpoch) && run.sourceEpoch >= 0)) {
        throw new Error(`runStageLocally: sourceEpoch must be a non-negative integer (seconds since 1970), got ${run.sourceEpoch}`);
    }
    return {
        tree: run.tree,
        paths: { devices: '/dev', inputs: '', mounts: '', ...run.paths },
        devices: run.devices ?? {},
        inputs: run.inputs ?? {},
        mounts: run.mounts ?? {},
        options: run.options ?? {},
        meta: { id: run.id ?? '0'.repeat(64), ...(run.sourceEpoch !== undefined ? { 'source-epoch': run.sourceEpoch } : {}) },
    };
}
/**
 * The host's environment, with SOURCE_DATE_EPOCH set exactly when the run
 * has a source epoch (as the engine does), so one inherited from the shell
 * running the tests does not leak into a stage.
 */
function localEnvironment(run) {
    const env = { ...process.env };
    delete env['SOURCE_DATE_EPOCH'];
    if (run.sourceEpoch !== undefined)
        env['SOURCE_DATE_EPOCH'] = String(run.sourceEpoch);
    return { ...env, ...run.env };
}
/**
 * A TypeScript entry (a stage in development, before any build) runs through
 * tsx, as the sandbox runs it; tsx is found from the stage's own package (a
 * dev dependency of it), then from here.
 */
function typeScriptLoader(entry) {
    if (!/\.(?:ts|mts|cts)$/.test(entry))
        return [];
    for (const from of [entry, import.meta.url]) {
        try {
            return ['--import', pathToFileURL(createRequire(from).resolve('tsx/esm')).href];
        }
        catch {
            // try the next place
        }
    }
    throw new Error(`runStageLocally: ${entry} is TypeScript; add tsx to the stage package's devDependencies to run it without a build step`);
}
//# sourceMappingURL=run-stage-locally.js.map
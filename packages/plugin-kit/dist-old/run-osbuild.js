import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
/**
 * Builds a manifest with the real `osbuild` CLI, sandbox and store, with
 * only `plugins` installed (symlinked into a project's node_modules as npm
 * would), and returns where the exports are. Each run gets a fresh store
 * unless one is given: two runs of one manifest show whether a rebuild
 * from nothing gives the same bytes.
 */
export function runOsbuild(run) {
    const project = join(run.work, 'project');
    const scope = join(project, 'node_modules', '@osbuild-ts');
    mkdirSync(scope, { recursive: true });
    writeFileSync(join(project, 'package.json'), '{"name": "osbuild-test-project", "private": true}\n');
    for (const plugin of run.plugins) {
        const name = JSON.parse(readFileSync(join(plugin, 'package.json'), 'utf8')).name;
        const link = join(scope, basename(name));
        try {
            symlinkSync(plugin, link);
        }
        catch (error) {
            if (error.code !== 'EEXIST')
                throw error;
        }
    }
    const manifestFile = join(run.work, `manifest-${createHash('sha256').update(JSON.stringify(run.manifest)).digest('hex').slice(0, 12)}.json`);
    writeFileSync(manifestFile, JSON.stringify(run.manifest));
    const store = run.store ?? mkdtempSync(join(run.work, 'store-'));
    const output = mkdtempSync(join(run.work, 'out-'));
    const args = [run.cli, '--libdir', project, '--store', store, '--json', '--output-directory', output];
    for (const e of run.exports)
        args.push('--export', e);
    const r = spawnSync(process.execPath, [...args, manifestFile], { encoding: 'utf8', maxBuffer: 1 << 28 });
    if (r.status !== 0)
        throw new Error(`osbuild exited ${r.status}:\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`);
    if (run.store === undefined)
        rmSync(store, { recursive: true, force: true });
    return { output, result: JSON.parse(r.stdout) };
}
/**
 * A manifest `sources` entry and `org.osbuild.untar` stage that put the
 * tar archive `tarball` (bytes) into a pipeline's tree, carried inline in
 * the manifest: how output tests get an exact tree (owners, devices,
 * xattrs) into a build without a network.
 */
export function inlineTreeStage(tarball) {
    const checksum = `sha256:${createHash('sha256').update(tarball).digest('hex')}`;
    return {
        sources: { 'org.osbuild.inline': { items: { [checksum]: { encoding: 'base64', data: tarball.toString('base64') } } } },
        stage: {
            type: 'org.osbuild.untar',
            inputs: { file: { type: 'org.osbuild.files', origin: 'org.osbuild.source', references: { [checksum]: {} } } },
        },
    };
}
/**
 * A pipeline `name` whose tree is exactly `tree` (owners, modes, xattrs,
 * devices, links: a tar of it carried inline and unpacked by
 * `org.osbuild.untar`), and the manifest `sources` it needs. Needs the
 * packages source-inline and stage-untar in the run's plugins.
 */
export function treePipeline(tree, name = 'os', sourceEpoch = 1_700_000_000) {
    const r = spawnSync('tar', ['--numeric-owner', '--xattrs', '--xattrs-include=*', '--sort=name', '-cf', '-', '-C', tree, '.'], { maxBuffer: 1 << 28 });
    if (r.status !== 0)
        throw new Error(`tar of ${tree} failed: ${r.stderr?.toString()}`);
    const { sources, stage } = inlineTreeStage(r.stdout);
    return { sources, pipeline: { name, 'source-epoch': sourceEpoch, stages: [stage] } };
}
/** An `org.osbuild.tree` input of pipeline `name`. */
export function treeInput(name) {
    return { type: 'org.osbuild.tree', origin: 'org.osbuild.pipeline', references: [`name:${name}`] };
}
/** An `org.osbuild.files` input of the file `file` in pipeline `name`'s tree. */
export function pipelineFileInput(name, file) {
    return { type: 'org.osbuild.files', origin: 'org.osbuild.pipeline', references: { [`name:${name}`]: { file } } };
}
/** sha256 of every file below `dir` (relative paths), to compare two builds' exports. */
export function exportDigests(dir) {
    const out = {};
    const walk = (rel) => {
        for (const entry of readdirSync(join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
            const path = rel ? `${rel}/${entry.name}` : entry.name;
            if (entry.isDirectory())
                walk(path);
            else if (entry.isFile())
                out[path] = createHash('sha256').update(readFileSync(join(dir, path))).digest('hex');
        }
    };
    walk('');
    return out;
}
//# sourceMappingURL=run-osbuild.js.map
import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportDigests, pipelineFileInput, richTree, runOsbuild, testdir, treeInput, treeListing, treePipeline } from '@osbuild-ts/plugin-kit/testing';

const packageDir = join(import.meta.dirname, '..');
const linked = (name: string) => realpathSync(join(packageDir, 'node_modules', '@osbuild-ts', name));
const cli = () => join(linked('cli'), 'bin', 'osbuild.js');
const work = mkdtempSync('/var/tmp/osbuild-ts-cli-');
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('org.osbuild.xz, .zstd and .gunzip through osbuild', () => {
  it('compress and decompress pipeline files, the same bytes from an empty store', () => {
    const tree = richTree(testdir('tree'));
    const { sources, pipeline } = treePipeline(tree);
    const manifest = {
      version: '2',
      sources,
      pipelines: [
        pipeline,
        { name: 'archive', 'source-epoch': 1_700_000_000, stages: [
          { type: 'org.osbuild.tar', inputs: { tree: treeInput('os') }, options: { filename: 'root.tar' } },
          { type: 'org.osbuild.tar', inputs: { tree: treeInput('os') }, options: { filename: 'root.tar.gz' } },
        ] },
        { name: 'compressed', stages: [
          { type: 'org.osbuild.xz', inputs: { file: pipelineFileInput('archive', '/root.tar') }, options: { filename: 'root.tar.xz' } },
          { type: 'org.osbuild.zstd', inputs: { file: pipelineFileInput('archive', '/root.tar') }, options: { filename: 'root.tar.zst' } },
          { type: 'org.osbuild.gunzip', inputs: { file: pipelineFileInput('archive', '/root.tar.gz') }, options: { path: 'from-gz.tar' } },
        ] },
      ],
    };
    const plugins = [packageDir, ...['stage-zstd', 'stage-gunzip', 'stage-tar', 'stage-untar', 'source-inline'].map(linked)];
    const run = () => runOsbuild({ cli: cli(), plugins, manifest, exports: ['archive', 'compressed'], work });
    const first = run();
    const digests = exportDigests(first.output);
    expect(exportDigests(run().output)).toEqual(digests);
    const tar = digests['archive/root.tar'];
    expect(digests['compressed/from-gz.tar']).toBe(tar);
    const c = join(first.output, 'compressed');
    const sha = (cmd: string, file: string) => execFileSync('sh', ['-c', `${cmd} < '${file}' | sha256sum`], { encoding: 'utf8' }).split(' ')[0];
    expect(sha('xz -dc', join(c, 'root.tar.xz'))).toBe(tar);
    expect(sha('zstd -dc', join(c, 'root.tar.zst'))).toBe(tar);
  });
});

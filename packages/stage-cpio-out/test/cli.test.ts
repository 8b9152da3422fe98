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

describe('org.osbuild.cpio.out through osbuild', () => {
  it('rebuilds from an empty store to the same bytes, and unpacks to the tree', () => {
    const tree = richTree(testdir('tree'));
    const { sources, pipeline } = treePipeline(tree);
    const manifest = {
      version: '2',
      sources,
      pipelines: [pipeline, { name: 'initrd', 'source-epoch': 1_700_000_000, stages: [{ type: 'org.osbuild.cpio.out', inputs: { tree: treeInput('os') }, options: { filename: 'initrd.cpio' } }] }],
    };
    const run = () => runOsbuild({ cli: cli(), plugins: [packageDir, linked('stage-untar'), linked('source-inline')], manifest, exports: ['initrd'], work });
    const first = run();
    expect(exportDigests(run().output)).toEqual(exportDigests(first.output));
    const out = testdir('out');
    execFileSync('cpio', ['-idm', '--quiet', '--no-absolute-filenames', '-F', join(first.output, 'initrd/initrd.cpio')], { cwd: out });
    // cpio leaves the directory it extracts into alone (the '.' member), and keeps no xattrs.
    const rest = (lines: string[]) => lines.filter((l) => !l.startsWith('. '));
    expect(rest(treeListing(out, { mtime: false, ignoreXattr: /./ }))).toEqual(rest(treeListing(tree, { mtime: false, ignoreXattr: /./ })));
  });
});

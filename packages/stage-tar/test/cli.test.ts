// Through the real CLI, sandbox and store: the same manifest built twice,
// each time from an empty store, gives the same archive bytes, and the
// archive unpacks to the tree the manifest describes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportDigests, richTree, runOsbuild, testdir, treeInput, treeListing, treePipeline } from '@osbuild-ts/plugin-kit/testing';

const packageDir = join(import.meta.dirname, '..');
const linked = (name: string) => realpathSync(join(packageDir, 'node_modules', '@osbuild-ts', name));
const work = mkdtempSync('/var/tmp/osbuild-ts-tar-cli-');
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('org.osbuild.tar through osbuild', () => {
  it('rebuilds from an empty store to the same bytes, and unpacks to the tree', () => {
    const tree = richTree(testdir('tree'));
    const { sources, pipeline } = treePipeline(tree);
    const manifest = {
      version: '2',
      sources,
      pipelines: [
        pipeline,
        {
          name: 'archives',
          'source-epoch': 1_700_000_000,
          stages: [
            { type: 'org.osbuild.tar', inputs: { tree: treeInput('os') }, options: { filename: 'root.tar' } },
            { type: 'org.osbuild.tar', inputs: { tree: treeInput('os') }, options: { filename: 'root.tar.gz', format: 'posix', 'root-node': 'omit' } },
          ],
        },
      ],
    };
    const run = () => runOsbuild({ cli: join(linked('cli'), 'bin', 'osbuild.js'), plugins: [packageDir, linked('stage-untar'), linked('source-inline')], manifest, exports: ['archives'], work });
    const first = run();
    const second = run();
    const digests = exportDigests(first.output);
    expect(Object.keys(digests)).toEqual(['archives/root.tar', 'archives/root.tar.gz']);
    expect(exportDigests(second.output)).toEqual(digests);
    const out = testdir('out');
    execFileSync('tar', ['--numeric-owner', '--xattrs', '--xattrs-include=*', '-xpf', join(first.output, 'archives/root.tar'), '-C', out]);
    // org.osbuild.untar (like upstream's) unpacks no xattrs, so the built tree has none to compare.
    expect(treeListing(out, { mtime: false, ignoreXattr: /./ })).toEqual(treeListing(tree, { mtime: false, ignoreXattr: /./ }));
  });
});

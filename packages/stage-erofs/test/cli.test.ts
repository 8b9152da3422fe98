import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportDigests, loopDevicesUnavailable, pipelineFileInput, richTree, runOsbuild, testdir, treeInput, treeListing, treePipeline } from '@osbuild-ts/plugin-kit/testing';

const packageDir = join(import.meta.dirname, '..');
const linked = (name: string) => realpathSync(join(packageDir, 'node_modules', '@osbuild-ts', name));
const cli = () => join(linked('cli'), 'bin', 'osbuild.js');
const work = mkdtempSync('/var/tmp/osbuild-ts-cli-');
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('org.osbuild.erofs through osbuild', () => {
  it.skipIf(loopDevicesUnavailable() !== null)('rebuilds from an empty store to the same bytes, an image fsck.erofs accepts', () => {
    const tree = richTree(testdir('tree'));
    const { sources, pipeline } = treePipeline(tree);
    const manifest = {
      version: '2',
      sources,
      pipelines: [pipeline, { name: 'image', 'source-epoch': 1_700_000_000, stages: [{ type: 'org.osbuild.erofs', inputs: { tree: treeInput('os') }, options: { filename: 'root.erofs', compression: { method: 'lz4hc' } } }] }],
    };
    const run = () => runOsbuild({ cli: cli(), plugins: [packageDir, linked('stage-untar'), linked('source-inline')], manifest, exports: ['image'], work });
    const first = run();
    expect(exportDigests(run().output)).toEqual(exportDigests(first.output));
    const image = join(first.output, 'image/root.erofs');
    execFileSync('fsck.erofs', [image]);
    // The kernel's view, read-only (fsck.erofs --extract drops setuid bits, xattrs and hard links).
    const out = testdir('mnt');
    execFileSync('mount', ['-t', 'erofs', '-o', 'loop,ro', image, out]);
    try {
      // org.osbuild.untar (like upstream's) unpacks no xattrs, so the built tree has none to compare.
      expect(treeListing(out, { mtime: false, ignoreXattr: /./ })).toEqual(treeListing(tree, { mtime: false, ignoreXattr: /./ }));
    } finally {
      execFileSync('umount', [out]);
    }
  });
});

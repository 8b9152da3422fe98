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

const mkdirs = {
  name: 'org.osbuild.mkdir',
  options: { paths: [{ path: '/etc' }, { path: '/srv/data', parents: true, mode: 0o750 }, { path: '/tmp', mode: 0o1777 }] },
};

describe('org.osbuild.tar (v1 assembler) through osbuild', () => {
  it('builds from an empty store, with every member of the tree', () => {
    void pipelineFileInput; void treeInput; void treePipeline; void richTree;
    const manifest = { pipeline: { stages: [mkdirs], assembler: { name: 'org.osbuild.tar', options: { filename: 'root.tar.xz', compression: 'xz' } } } };
    const run = () => runOsbuild({ cli: cli(), plugins: [packageDir, linked('stage-mkdir')], manifest, exports: ['assembler'], work });
    // A v1 manifest has no source-epoch: the tree's times are those of each
    // build, so two builds differ in them (upstream's too). Byte-identical
    // output for a given tree is shown in main.test.ts, with an epoch.
    const first = run();
    const second = run();
    expect(Object.keys(exportDigests(second.output))).toEqual(Object.keys(exportDigests(first.output)));
    const listings = [first, second].map((build) => {
      const out = testdir('out');
      execFileSync('tar', ['-xpJf', join(build.output, 'assembler/root.tar.xz'), '-C', out]);
      return treeListing(out, { mtime: false });
    });
    // What org.osbuild.mkdir made: parents with the mode too, and the umask applied, as upstream's os.makedirs.
    expect(listings[0]).toEqual(['. d 755 0:0', 'etc d 755 0:0', 'srv d 750 0:0', 'srv/data d 750 0:0', 'tmp d 1755 0:0']);
    expect(listings[1]).toEqual(listings[0]);
  });
});

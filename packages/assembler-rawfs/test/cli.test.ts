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
const UUID = '9c6ae55b-cf88-45b8-84e8-64990759f39d';

describe('org.osbuild.rawfs (v1 assembler) through osbuild', () => {
  it('builds from an empty store; the image passes e2fsck and carries the UUID', () => {
    void pipelineFileInput; void treeInput; void treePipeline; void richTree; void treeListing;
    const manifest = { pipeline: { stages: [mkdirs], assembler: { name: 'org.osbuild.rawfs', options: { filename: 'root.ext4', root_fs_uuid: UUID, size: 32 * 1024 * 1024 } } } };
    const run = () => runOsbuild({ cli: cli(), plugins: [packageDir, linked('stage-mkdir')], manifest, exports: ['assembler'], work });
    // A v1 manifest has no source-epoch: the tree's times are those of each
    // build, so two builds differ in them (upstream's too). Byte-identical
    // output for a given tree is shown in main.test.ts, with an epoch.
    const first = run();
    const second = run();
    expect(Object.keys(exportDigests(second.output))).toEqual(Object.keys(exportDigests(first.output)));
    const image = join(first.output, 'assembler/root.ext4');
    execFileSync('e2fsck', ['-fn', image]);
    expect(execFileSync('blkid', ['-p', '-s', 'UUID', '-o', 'value', image], { encoding: 'utf8' }).trim()).toBe(UUID);
    const listing = execFileSync('debugfs', ['-R', 'ls -l /srv', image], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(listing).toMatch(/40750 \(2\)\s+0\s+0\s+\d+\s+\S+\s+\S+ data/);
  });
});

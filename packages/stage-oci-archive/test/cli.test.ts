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

describe('org.osbuild.oci-archive through osbuild', () => {
  it('rebuilds from an empty store to the same bytes, an archive skopeo inspects', () => {
    const tree = richTree(testdir('tree'));
    const { sources, pipeline } = treePipeline(tree);
    const manifest = {
      version: '2',
      sources,
      pipelines: [
        pipeline,
        { name: 'container', 'source-epoch': 1_700_000_000, stages: [
          { type: 'org.osbuild.oci-archive', inputs: { base: treeInput('os') }, options: { filename: 'container.tar', architecture: 'amd64', config: { Cmd: ['/srv/tool'] } } },
        ] },
      ],
    };
    const run = () => runOsbuild({ cli: cli(), plugins: [packageDir, linked('stage-untar'), linked('source-inline')], manifest, exports: ['container'], work });
    const first = run();
    expect(exportDigests(run().output)).toEqual(exportDigests(first.output));
    const inspect = JSON.parse(execFileSync('skopeo', ['--insecure-policy', 'inspect', `oci-archive:${join(first.output, 'container/container.tar')}`], { encoding: 'utf8' })) as { Created: string; Layers: string[] };
    expect(inspect.Created).toBe('2023-11-14T22:13:20Z');
    expect(inspect.Layers).toHaveLength(1);
    expect(treeListing(tree).length).toBeGreaterThan(10);
  });
});

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadFile, loadText } from './inspect-helper.js';

const vector = (name: string) => fileURLToPath(new URL(`../vectors/${name}.json`, import.meta.url));

describe('the v1 model (spec 1.3)', () => {
  it('creates build pipelines first, then tree, then assembler', () => {
    const manifest = loadFile(vector('v1-nested-build'));
    expect(manifest.version).toBe(1);
    expect(manifest.pipelines.map((p) => p.name)).toEqual(['build-build', 'build', 'tree', 'assembler']);
    const [buildBuild, build, tree, assembler] = manifest.pipelines;
    expect(buildBuild?.build).toBeNull();
    expect(build?.build).toBe(buildBuild?.id);
    expect(build?.buildName).toBe('build-build');
    expect(tree?.build).toBe(build?.id);
    expect(assembler?.build).toBe(tree?.build);
    expect(assembler?.buildName).toBe('build');
  });

  it('gives the runner written in `build` to the pipeline that contains it, by the written name', () => {
    const [buildBuild, build, tree, assembler] = loadFile(vector('v1-nested-build')).pipelines;
    expect(buildBuild?.runner).toEqual({ name: 'org.osbuild.debian', file: 'org.osbuild.debian' });
    expect(build?.runner).toEqual({ name: 'org.osbuild.rhel82', file: 'org.osbuild.rhel82' });
    expect(tree?.runner).toEqual({ name: 'org.osbuild.fedora30', file: 'org.osbuild.fedora30' });
    expect(assembler?.runner).toBe(tree?.runner);
  });

  it('synthesises the rpm packages input from options.packages', () => {
    const manifest = loadFile(vector('v1-rpm-sources'));
    const rpm = manifest.pipelines.find((p) => p.name === 'tree')?.stages[0];
    expect(rpm?.inputs).toHaveLength(1);
    const input = rpm?.inputs[0];
    expect(input).toMatchObject({ name: 'packages', type: 'org.osbuild.files', origin: 'org.osbuild.source', options: new Map() });
    expect([...(input?.references.values() ?? [])]).toEqual([
      new Map(),
      new Map(),
      new Map([['metadata', new Map([['rpm.check_gpg', true]])]]),
      new Map(),
    ]);
    expect(input?.path).toEqual(['pipeline', 'stages', 0, 'options', 'packages']);
  });

  it('keeps v1 sources, org.osbuild.files loaded as org.osbuild.curl with the whole object as options', () => {
    const manifest = loadFile(vector('v1-rpm-sources'));
    expect(manifest.sources).toHaveLength(1);
    const source = manifest.sources[0];
    expect(source?.type).toBe('org.osbuild.curl');
    expect(source?.items.size).toBe(6);
    expect([...(source?.options.keys() ?? [])]).toEqual(['urls']);
    expect(source?.path).toEqual(['sources', 'org.osbuild.files']);
  });

  it('gives the assembler a tree input that names the tree pipeline', () => {
    const manifest = loadFile(vector('v1-basic'));
    const assembler = manifest.pipelines.at(-1);
    const tree = manifest.pipelines.find((p) => p.name === 'tree');
    expect(assembler?.stages[0]?.inputs[0]).toMatchObject({
      name: 'tree',
      type: 'org.osbuild.tree',
      origin: 'org.osbuild.pipeline',
      pipelineNames: ['tree'],
    });
    expect([...(assembler?.stages[0]?.inputs[0]?.references.keys() ?? [])]).toEqual([tree?.id]);
  });

  it('an empty manifest still has a tree pipeline on the host runner', () => {
    const manifest = loadText('{}');
    expect(manifest.pipelines).toMatchObject([{ name: 'tree', id: null, build: null, stages: [] }]);
    expect(manifest.pipelines[0]?.runner.name).toBe('org.osbuild.debian');
  });
});

describe('the v2 model (spec 1.5, 1.6)', () => {
  it('re-assigns runners: the runner declared on a build pipeline runs the pipelines built with it', () => {
    const manifest = loadFile(vector('v2-build-chain'));
    const [build, os, archive] = manifest.pipelines;
    expect(build?.declaredRunner).toEqual({ name: 'org.osbuild.fedora38', file: 'org.osbuild.fedora38' });
    expect(build?.runner.name).toBe('org.osbuild.debian');
    expect(os?.runner).toEqual({ name: 'org.osbuild.fedora38', file: 'org.osbuild.fedora38' });
    expect(archive?.runner.name).toBe('org.osbuild.fedora38');
    expect(os?.buildName).toBe('build');
    expect(os?.sourceEpoch).toBe(1700000000n);
    expect(archive?.sourceEpoch).toBeUndefined();
  });

  it('keeps the requested runner name and the file it resolved to', () => {
    const manifest = loadText(
      '{"version": "2", "pipelines": [{"name": "b", "runner": "org.osbuild.fedora41", "stages": [{"type": "x"}]}, {"name": "o", "build": "name:b"}]}',
    );
    expect(manifest.pipelines[1]?.runner).toEqual({ name: 'org.osbuild.fedora41', file: 'org.osbuild.fedora38' });
  });

  it('resolves pipeline references to ids and records the names', () => {
    const manifest = loadFile(vector('v2-sources-inputs'));
    const extract = manifest.pipelines[2]?.stages[0]?.inputs[0];
    expect(extract?.pipelineNames).toEqual(['os']);
    expect([...(extract?.references ?? [])]).toEqual([[manifest.pipelines[1]?.id, new Map([['file', '/etc/motd']])]]);
  });

  it('orders devices parents first, keeping the parent name', () => {
    const manifest = loadFile(vector('v2-devices-mounts'));
    const stage = manifest.pipelines[2]?.stages[5];
    expect(stage?.devices.map((d) => [d.name, d.parent])).toEqual([
      ['disk', undefined],
      ['luks', 'disk'],
    ]);
    expect(stage?.mounts[0]).toMatchObject({ name: 'data', source: 'luks', target: '/data', partition: 2n });
    expect(stage?.mounts[0]?.path).toEqual(['pipelines', 2, 'stages', 5, 'mounts', 0]);
  });

  it('keeps sources with their options and metadata', () => {
    const quirks = loadFile(vector('v2-quirks'));
    expect(quirks.sources[0]?.type).toBe('org.osbuild.librepo');
    expect([...(quirks.sources[0]?.options.keys() ?? [])]).toEqual(['mirrors']);
    const meta = loadFile(vector('v2-empty-epoch-metadata'));
    expect([...meta.metadata.keys()]).toEqual(['generators', 'exports']);
    expect(meta.sources).toEqual([]);
  });

  it('stores no build for "build": "" but hashes the stages with ""', () => {
    const manifest = loadText('{"version": "2", "pipelines": [{"name": "e", "build": "", "stages": [{"type": "org.osbuild.noop"}]}]}');
    expect(manifest.pipelines[0]?.build).toBeNull();
    expect(manifest.pipelines[0]?.id).toBe('1abdfd6fe9760df843ac158a304823132d623ebfcca0a65c3517c614f44b1f50');
  });

  it('names the build pipeline of a raw build id by the first pipeline with that id', () => {
    const manifest = loadFile(vector('v2-quirks'));
    const raw = manifest.pipelines.find((p) => p.name === 'raw-build-ref');
    expect(raw?.buildName).toBe('uses-stageless');
  });
});

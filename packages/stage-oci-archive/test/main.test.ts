import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasCommand, richTree, runStageLocally, testdir, treeListing } from '@osbuild-ts/plugin-kit/testing';
import { executionConfig, isoTime, layerOrder } from '../src/image-config.js';
import { pyJson } from '../src/py-json.js';

const entry = join(import.meta.dirname, '..', 'dist', 'main.js');
const EPOCH = 1_700_000_000;
const noSkopeo = !hasCommand('skopeo');

async function build(inputs: Record<string, string>, options: Record<string, unknown>, sourceEpoch: number | undefined = EPOCH) {
  const tree = testdir('tree');
  const result = await runStageLocally({
    entry,
    tree,
    inputs: Object.fromEntries(Object.entries(inputs).map(([k, path]) => [k, { path }])),
    options: { architecture: 'amd64', ...options },
    ...(sourceEpoch !== undefined ? { sourceEpoch } : {}),
  });
  expect(result.exitCode, result.output).toBe(0);
  expect(readdirSync(tree)).toEqual([String(options['filename'])]);
  return join(tree, String(options['filename']));
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

interface Inspect {
  Architecture: string;
  Os: string;
  Layers: string[];
  Env: string[];
  Labels: Record<string, string> | null;
  Created: string;
}

function skopeo(...args: string[]): string {
  return execFileSync('skopeo', ['--insecure-policy', ...args], { encoding: 'utf8' });
}

/** skopeo copies the archive into an OCI layout directory; returns the layout and its manifest and config. */
function copyToLayout(archive: string) {
  const dir = join(testdir('layout'), 'oci');
  skopeo('copy', `oci-archive:${archive}`, `oci:${dir}:latest`);
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
  const blob = (digest: string) => join(dir, 'blobs', 'sha256', digest.replace('sha256:', ''));
  const manifest = JSON.parse(readFileSync(blob(index.manifests[0]!.digest), 'utf8')) as { layers: { digest: string }[]; config: { digest: string }; annotations?: Record<string, string> };
  const config = JSON.parse(readFileSync(blob(manifest.config.digest), 'utf8')) as Record<string, any>;
  return { dir, manifest, config, blob };
}

describe('org.osbuild.oci-archive', () => {
  it.skipIf(noSkopeo)('is an OCI archive skopeo inspects and copies, whose layer unpacks to the tree', async () => {
    const base = richTree(testdir('base'));
    const archive = await build({ base }, {
      filename: 'container.tar',
      config: { Cmd: ['/srv/tool'], Env: ['A=1'], Labels: { 'org.example': 'yes' }, ExposedPorts: ['80/tcp'], Volumes: ['/data'], User: '1234', WorkingDir: '/srv', StopSiganl: 'SIGINT' },
      annotations: { 'org.example.note': 'hello' },
    });
    const inspect = JSON.parse(skopeo('inspect', `oci-archive:${archive}`)) as Inspect;
    expect(inspect).toMatchObject({ Architecture: 'amd64', Os: 'linux', Env: ['A=1'], Labels: { 'org.example': 'yes' }, Created: '2023-11-14T22:13:20Z' });
    expect(inspect.Layers).toHaveLength(1);
    const { manifest, config, blob } = copyToLayout(archive);
    expect(manifest.annotations).toEqual({ 'org.example.note': 'hello' });
    expect(config['config']).toEqual({
      Env: ['A=1'],
      Cmd: ['/srv/tool'],
      User: '1234',
      Labels: { 'org.example': 'yes' },
      StopSignal: 'SIGINT',
      WorkingDir: '/srv',
      ExposedPorts: { '80/tcp': {} },
      Volumes: { '/data': {} },
    });
    const out = testdir('rootfs');
    execFileSync('tar', ['--numeric-owner', '--xattrs', '--xattrs-include=*', '-xpzf', blob(manifest.layers[0]!.digest), '-C', out]);
    // The layer keeps user.*, security.ima and security.capability xattrs, as upstream's.
    const keep = /^(?!user\.|security\.ima|security\.capability)/;
    const unpacked = treeListing(out, { mtime: false, ignoreXattr: keep }).filter((l) => !l.startsWith('. '));
    expect(unpacked).toEqual(treeListing(base, { mtime: false, ignoreXattr: keep }).filter((l) => !l.startsWith('. ')));
  });

  it.skipIf(noSkopeo)('stacks base and layer.N inputs in order, each its own layer', async () => {
    const base = richTree(testdir('base'));
    const layers: Record<string, string> = { base };
    for (const n of [1, 2, 10]) {
      const dir = testdir(`layer${n}`);
      mkdirSync(join(dir, 'etc'));
      writeFileSync(join(dir, 'etc', `layer-${n}`), `${n}\n`);
      layers[`layer.${n}`] = dir;
    }
    const archive = await build(layers, { filename: 'layered.tar' });
    const { manifest, config, blob } = copyToLayout(archive);
    expect(manifest.layers).toHaveLength(4);
    expect(config['rootfs'].diff_ids).toHaveLength(4);
    expect(config['history'].map((h: { created_by: string }) => h.created_by)).toEqual(
      ['base', 'layer.1', 'layer.2', 'layer.10'].map((n) => `/bin/sh -c #(nop) osbuild input '${n}'`),
    );
    const last = execFileSync('tar', ['-tzf', blob(manifest.layers[3]!.digest)], { encoding: 'utf8' });
    expect(last).toContain('etc/layer-10');
  });

  it('gives the same bytes for two copies of the trees made at different times, with and without a source epoch', async () => {
    const a = richTree(testdir('tree-a'));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const b = join(testdir('tree-b'), 'tree');
    execFileSync('cp', ['-a', a, b]);
    for (const epoch of [EPOCH, undefined]) {
      const first = await build({ base: a }, { filename: 'c.tar' }, epoch);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const second = await build({ base: b }, { filename: 'c.tar' }, epoch);
      expect(sha256(second), String(epoch)).toBe(sha256(first));
    }
  });

  it('builds the config as upstream does', () => {
    expect(executionConfig({})).toEqual({ Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Cmd: ['sh'] });
    expect(executionConfig({ Entrypoint: [], User: '', Volumes: [] })).toEqual(executionConfig({}));
    expect(isoTime(EPOCH)).toBe('2023-11-14T22:13:20+00:00');
    expect(layerOrder(['layer.10', 'layer.2', 'base', 'layer.1'])).toEqual(['base', 'layer.1', 'layer.2', 'layer.10']);
    expect(pyJson({ a: [1, 'é'], b: {} })).toBe('{"a": [1, "\\u00e9"], "b": {}}');
  });
});

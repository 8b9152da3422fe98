// Through the real engine: the `osbuild` command on a manifest that
// osbuild-debian-pin filled in, the .debs already in the store's source cache
// (`--offline`: nothing may be downloaded), the rootfs stage and this one in
// the engine's sandbox, and the tree exported.
import { spawnSync } from 'node:child_process';
import { linkSync, mkdirSync, realpathSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillTemplate } from '@osbuild-ts/debian-pin';
import { pinnedInputs, TEST_DEB_CACHE, type PinnedInput } from '@osbuild-ts/debian-pin/testing';
import { removeDir, statusInTree, tempDir } from './helpers.js';

const packageDir = join(import.meta.dirname, '..');
const linked = (name: string) => realpathSync(join(packageDir, 'node_modules', '@osbuild-ts', name));

describe('debian.rootfs + debian.install through osbuild', () => {
  let pinned: PinnedInput;
  let work: string;
  beforeAll(async () => {
    work = tempDir('engine');
    pinned = await pinnedInputs(
      {
        debian: { suite: 'bookworm', variant: 'essential' },
        extra: { suite: 'bookworm', packages: ['less'], on: 'debian' },
      },
      { dir: join(work, 'input') },
    );
  });
  afterAll(() => {
    if (work) removeDir(work);
  });

  it('builds and exports the tree offline, from the pinned manifest', () => {
    const project = join(work, 'project');
    mkdirSync(join(project, 'node_modules', '@osbuild-ts'), { recursive: true });
    writeFileSync(join(project, 'package.json'), '{"name": "debian-engine-test", "private": true}\n');
    for (const name of ['stage-debian-rootfs', 'source-curl']) symlinkSync(linked(name), join(project, 'node_modules', '@osbuild-ts', name));
    symlinkSync(packageDir, join(project, 'node_modules', '@osbuild-ts', 'stage-debian-install'));
    const input = (name: string) => ({ type: 'org.osbuild.files', origin: 'org.osbuild.source', references: { 'osbuild-ts:debian-pin': name } });
    const template = {
      version: '2',
      pipelines: [
        {
          name: 'os',
          'source-epoch': 1700000000,
          stages: [
            { type: 'io.github.osbuild-ts.debian.rootfs', options: { suite: 'bookworm', variant: 'essential' }, inputs: { debs: input('debian') } },
            { type: 'io.github.osbuild-ts.debian.install', options: { packages: ['less'] }, inputs: { debs: input('extra') } },
          ],
        },
      ],
    };
    const manifest = join(work, 'manifest.json');
    writeFileSync(manifest, JSON.stringify(fillTemplate(template, pinned.sets)));
    const store = join(work, 'store');
    const cache = join(store, 'sources', 'org.osbuild.files');
    mkdirSync(cache, { recursive: true });
    for (const set of pinned.sets.values()) for (const p of set.packages) linkSync(join(TEST_DEB_CACHE, `sha256:${p.sha256}`), join(cache, `sha256:${p.sha256}`));
    const out = join(work, 'out');
    const r = spawnSync(
      process.execPath,
      [join(linked('cli'), 'bin', 'osbuild.js'), '--libdir', project, '--store', store, '--offline', '--json', '--export', 'os', '--output-directory', out, manifest],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    const result = JSON.parse(r.stdout) as { success: boolean };
    expect(result.success).toBe(true);
    const tree = join(out, 'os');
    const status = statusInTree(tree);
    expect(status.get('less')).toBe('ii');
    for (const p of pinned.sets.get('debian')!.packages) expect(status.get(p.name), p.name).toBe('ii');
    expect(statSync(join(tree, 'usr/bin/less')).isFile()).toBe(true);
  });
});

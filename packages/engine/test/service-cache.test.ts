import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clearDiscoveryCache, clearFingerprintCache, discoverPlugins, loadManifest, parsePyJson } from '@osbuild-ts/core';
import { planBuild } from '../src/index.js';
import { build, loopsUnder, makeProject, manifest, mountsUnder, repoRoot, shell, tempDir } from './helpers.js';

const services = {
  devices: { root: { type: 'org.osbuild.loopback', options: { filename: 'disk.img' } } },
  mounts: [{ name: 'root', type: 'org.osbuild.ext4', source: 'root', target: '/' }],
};
const stages = [shell('truncate -s 32M disk.img && mkfs.ext4 -q -F disk.img'), shell('echo x > "$MOUNT_root/x"', services)];

describe('devices and mounts in the cache key', () => {
  it('the stage depends on the device and mount plugins; a warm rebuild opens no device', async () => {
    const project = makeProject();
    const store = tempDir('engine-store-');
    const cold = await build(project.dir, manifest(stages), { store });
    expect(cold.ran).toEqual([1, 2]);
    const plan = await planBuild(loadManifest(parsePyJson(manifest(stages))), await discoverPlugins(project.dir), ['tree']);
    expect(plan.pipelines[0]!.stages[1]!.fingerprints.map((f) => f.name)).toEqual([
      '@osbuild-ts-fixtures/stage-shell',
      '@osbuild-ts/device-loopback',
      '@osbuild-ts/mount-ext4',
    ]);

    const events: string[] = [];
    const warm = await build(project.dir, manifest(stages), { store, onEvent: (event) => events.push(event.type) });
    expect(warm.ran).toEqual([]);
    expect(warm.cached).toEqual([1, 2]);
    // No stage started, so no device or mount service either.
    expect(events.filter((type) => type.startsWith('stage-') && type !== 'stage-cached')).toEqual([]);
    expect(loopsUnder(store)).toEqual([]);
    expect(mountsUnder(store)).toEqual([]);
  });

  it('upgrading the mount plugin rebuilds the stage that mounted with it', async () => {
    const project = makeProject();
    const store = tempDir('engine-store-');
    // A copy of the real mount plugin, so that its version can change.
    const copy = join(project.dir, 'node_modules', '@osbuild-ts', 'mount-ext4');
    const source = join(repoRoot, 'packages', 'mount-ext4');
    rmSync(copy);
    cpSync(source, copy, { recursive: true, dereference: false, force: true, filter: (path) => !path.startsWith(join(source, 'test')) });
    const bump = (version: string) => {
      const pkg = JSON.parse(readFileSync(join(copy, 'package.json'), 'utf8'));
      pkg.version = version;
      writeFileSync(join(copy, 'package.json'), JSON.stringify(pkg, null, 2));
      clearDiscoveryCache();
      clearFingerprintCache();
    };
    bump('1.0.0');
    await build(project.dir, manifest(stages), { store });
    bump('1.1.0');
    const upgraded = await build(project.dir, manifest(stages), { store });
    expect(upgraded.cached).toEqual([1]);
    expect(upgraded.ran).toEqual([2]);
    expect(upgraded.stages[1]!.reason).toBe('plugin @osbuild-ts/mount-ext4 1.0.0 → 1.1.0');
    expect(loopsUnder(store)).toEqual([]);
  });

  it('two stages that differ only in their devices share an osbuild id (a quirk) but not a cache key', async () => {
    const project = makeProject();
    const registry = await discoverPlugins(project.dir);
    const withDevice = (start: number) =>
      manifest([shell('truncate -s 8M disk.img'), shell('true', { devices: { disk: { type: 'org.osbuild.loopback', options: { filename: 'disk.img', start } } } })]);
    const [a, b] = await Promise.all([0, 2048].map(async (start) => (await planBuild(loadManifest(parsePyJson(withDevice(start))), registry, ['tree'])).pipelines[0]!.stages[1]!));
    expect(a!.stage.id).toBe(b!.stage.id);
    expect(a!.key).not.toBe(b!.key);
  });
});

import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clearDiscoveryCache, loadManifest, parsePyJson, type PluginRecord, type StageMount } from '@osbuild-ts/core';
import { checkFileSystems, kernelFileSystems } from '../src/filesystem-support.js';
import { build, makeProject, repoRoot, shell, tempDir } from './helpers.js';

/**
 * Whether this kernel can mount a file system type now or once modprobe
 * loads it. Asked when a test runs, not when the file loads: the kernel's
 * state can change in between (a build, ours included, may load a module).
 */
function kernelCanMount(fsType: string): boolean {
  if (kernelFileSystems().has(fsType)) return true;
  return spawnSync('modprobe', ['--dry-run', '--quiet', fsType], { stdio: 'ignore' }).status === 0;
}

function planned(type: string, filesystem: string | undefined, path: (string | number)[]): { mount: StageMount; plugin: PluginRecord } {
  return {
    mount: { name: 'm', type, target: '/', options: new Map(), id: '', path },
    plugin: { kind: 'mount', name: type, filesystem } as PluginRecord,
  };
}

describe('kernel file systems, checked before a build', () => {
  it('reads /proc/filesystems, with or without nodev', () => {
    expect(kernelFileSystems('nodev\tsysfs\n\text4\nnodev\toverlay\n')).toEqual(new Set(['sysfs', 'ext4', 'overlay']));
    expect(kernelFileSystems().has('ext4')).toBe(true);
  });

  it('passes when every mount\'s file system is there, and tries modprobe for a missing one', () => {
    const probed: string[] = [];
    let loaded = false;
    const available = () => new Set(loaded ? ['ext4', 'vfat'] : ['ext4']);
    const modprobe = (fs: string) => {
      probed.push(fs);
      loaded = true;
      return true;
    };
    checkFileSystems([planned('org.osbuild.ext4', 'ext4', []), planned('org.osbuild.fat', 'vfat', []), planned('org.osbuild.bind', undefined, [])], available, modprobe);
    expect(probed).toEqual(['vfat']);
  });

  it('names every mount that cannot be made, by manifest path, and the way around it', () => {
    const attempt = () =>
      checkFileSystems(
        [planned('org.osbuild.fat', 'vfat', ['pipelines', 2, 'stages', 5, 'mounts', 1]), planned('org.acme.zfs', 'zfs', ['pipelines', 2, 'stages', 6, 'mounts', 0])],
        () => new Set(['ext4']),
        () => false,
      );
    expect(attempt).toThrow(
      expect.objectContaining({
        code: 'E_HOST_UNSUPPORTED',
        message: 'pipelines[2].stages[5].mounts[1] (org.osbuild.fat, "m"): this kernel has no vfat file system\npipelines[2].stages[6].mounts[0] (org.acme.zfs, "m"): this kernel has no zfs file system',
        hint: expect.stringContaining('io.github.osbuild-ts.mtools.copy'),
      }),
    );
  });

  it('a FAT mount on a kernel without vfat stops the build before sources and stages', async (context) => {
    if (kernelCanMount('vfat')) context.skip('this kernel can mount vfat');
    const project = makeProject();
    const link = join(project.dir, 'node_modules', '@osbuild-ts', 'source-inline');
    mkdirSync(join(project.dir, 'node_modules', '@osbuild-ts'), { recursive: true });
    symlinkSync(join(repoRoot, 'packages', 'source-inline'), link);
    clearDiscoveryCache();
    const store = tempDir('engine-store-');
    const text = JSON.stringify({
      version: '2',
      sources: { 'org.osbuild.inline': { items: { 'sha256:8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4': { encoding: 'base64', data: 'aGk=' } } } },
      pipelines: [
        { name: 'image', stages: [shell('truncate -s 8M efi.img'), shell('true', { devices: { efi: { type: 'org.osbuild.loopback', options: { filename: 'efi.img' } } }, mounts: [{ name: 'efi', type: 'org.osbuild.fat', source: 'efi', target: '/boot/efi' }] })] },
      ],
    });
    expect(loadManifest(parsePyJson(text)).sources).toHaveLength(1);
    const error = (await build(project.dir, text, { store }).catch((e: unknown) => e)) as Error & { code: string; hint: string };
    expect(error.code).toBe('E_HOST_UNSUPPORTED');
    expect(error.message).toBe('pipelines[0].stages[1].mounts[0] (org.osbuild.fat, "efi"): this kernel has no vfat file system');
    expect(error.hint).toContain('io.github.osbuild-ts.mtools.copy');
    // Neither the source was fetched nor the first stage run.
    expect(readdirSync(join(store, 'objects'))).toEqual([]);
    expect(readdirSync(join(store, 'sources')).flatMap((type) => readdirSync(join(store, 'sources', type)))).toEqual([]);
  });
});

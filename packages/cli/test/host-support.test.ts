import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { makeProject } from './project.js';
import { osbuild } from './run-cli.js';

/**
 * Whether this kernel can mount vfat now or once modprobe loads it. Asked
 * before each test, not when the file loads: the kernel's state can change
 * in between (a build, ours included, may load a module).
 */
function kernelCanMountVfat(): boolean {
  if (readFileSync('/proc/filesystems', 'utf8').split('\n').some((line) => line.split('\t')[1] === 'vfat')) return true;
  return spawnSync('modprobe', ['--dry-run', '--quiet', 'vfat'], { stdio: 'ignore' }).status === 0;
}

/** An image pipeline whose last stage mounts a FAT file system at /boot/efi. */
const manifest = {
  version: '2',
  pipelines: [
    { name: 'tree', stages: [{ type: 'org.osbuild.noop', options: { n: 1 } }] },
    {
      name: 'image',
      stages: [
        { type: 'org.osbuild.noop', options: { n: 2 } },
        {
          type: 'org.osbuild.noop',
          devices: {
            disk: { type: 'org.osbuild.loopback', options: { filename: 'disk.img' } },
            efi: { type: 'org.osbuild.loopback', options: { filename: 'disk.img', start: 2048, size: 204800 } },
          },
          mounts: [
            { name: 'root', type: 'org.osbuild.ext4', source: 'disk', target: '/' },
            { name: 'efi', type: 'org.osbuild.fat', source: 'efi', target: '/boot/efi' },
          ],
        },
      ],
    },
  ],
};

describe('a kernel without vfat', () => {
  beforeEach((context) => {
    if (kernelCanMountVfat()) context.skip('this kernel can mount vfat');
  });
  let project: string;
  let file: string;
  let store: string;
  let dir: string;
  beforeAll(() => {
    project = makeProject();
    dir = mkdtempSync(join(tmpdir(), 'osbuild-fat-'));
    file = join(dir, 'manifest.json');
    store = join(dir, 'store');
    writeFileSync(file, JSON.stringify(manifest, null, 2));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stops before the build with exit 2, naming the mount by manifest path and the way around it', async () => {
    const r = await osbuild(['--libdir', project, '--store', store, '--export', 'image', '--output-directory', join(store, '..', 'out'), file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('osbuild: pipelines[1].stages[1].mounts[1] (org.osbuild.fat, "efi"): this kernel has no vfat file system');
    expect(r.stderr).toContain('io.github.osbuild-ts.mtools.copy');
    // Nothing ran: not even the stages before the one that mounts.
    expect(r.stdout).not.toContain('org.osbuild.noop: ');
  });

  it('with --json: one validation-error document with the mount\'s path', async () => {
    const r = await osbuild(['--libdir', project, '--store', store, '--json', '--export', 'image', '--output-directory', join(store, '..', 'out'), file]);
    expect(r.status).toBe(2);
    const lines = r.stdout.split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!)).toEqual({
      type: 'https://osbuild.org/validation-error',
      title: 'JSON Schema validation failed',
      success: false,
      errors: [{ message: 'this kernel has no vfat file system', path: ['pipelines', 1, 'stages', 1, 'mounts', 1] }],
    });
  });
});

describe('device and mount options', () => {
  it('are validated against their plugins\' schemas before anything runs, with the manifest path', async () => {
    const project = makeProject();
    const dir = mkdtempSync(join(tmpdir(), 'osbuild-options-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'manifest.json');
    const stage = {
      type: 'org.osbuild.noop',
      devices: { disk: { type: 'org.osbuild.loopback', options: { filename: 'disk.img', start: 'early', lock: 'yes' } } },
      mounts: [{ name: 'root', type: 'org.osbuild.ext4', source: 'disk', target: '/', options: { readonly: true, compress: 'zstd' } }],
    };
    writeFileSync(file, JSON.stringify({ version: '2', pipelines: [{ name: 'tree', stages: [stage] }] }));
    const r = await osbuild(['--libdir', project, '--json', file]);
    expect(r.status).toBe(2);
    const doc = JSON.parse(r.stdout);
    expect(doc.errors.map((e: { path: unknown[] }) => e.path.join('/'))).toEqual([
      'pipelines/0/stages/0/devices/disk/options/lock',
      'pipelines/0/stages/0/devices/disk/options/start',
      // osbuild reports a mount by its name, not its index
      'pipelines/0/stages/0/mounts/root/options',
    ]);
  });
});

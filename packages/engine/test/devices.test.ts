import { describe, expect, it } from 'vitest';
import { build, loopsUnder, makeProject, manifest, mountsUnder, shell, tempDir } from './helpers.js';

const loopback = (options: Record<string, unknown>) => ({ type: 'org.osbuild.loopback', options: { filename: 'disk.img', ...options } });

interface ShellMetadata {
  paths: Record<string, string>;
  devices: Record<string, { path: string; node: { major: number; minor: number } }>;
  mounts: Record<string, { path?: string }>;
  nodes: Record<string, { block: boolean; rdev: number }>;
  stdout: string;
}

describe('org.osbuild.loopback devices', () => {
  it('attaches start/size of a file in the tree; the stage sees the node and the arguments document names it; detached afterwards', async () => {
    const project = makeProject();
    const store = tempDir('engine-store-');
    const stages = [
      shell('truncate -s 16M disk.img'),
      shell('blockdev --getsize64 "$DEVICE_disk"', { devices: { disk: loopback({ start: 2048, size: 4096 }) } }),
    ];
    const result = await build(project.dir, manifest(stages), { store });
    const meta = result.stages[1]!.metadata as ShellMetadata;
    const device = meta.devices.disk!;
    expect(device.path).toMatch(/^\/dev\/loop\d+$/);
    const minor = Number(/\d+$/.exec(device.path)![0]);
    expect(meta.devices).toEqual({ disk: { path: device.path, node: { major: 7, minor } } });
    expect(meta.paths).toEqual({ devices: '/dev', inputs: '/run/osbuild/inputs', mounts: '/run/osbuild/mounts' });
    expect(meta.mounts).toEqual({});
    expect(meta.nodes.disk!.block).toBe(true);
    expect(meta.stdout.trim()).toBe(String(4096 * 512));
    expect(result.stages[1]!.output).toContain(`device/disk (org.osbuild.loopback): loop${minor} acquired (locked: false)`);
    expect(result.stages[1]!.output).toContain(`device/disk (org.osbuild.loopback): loop${minor} released`);
    expect(loopsUnder(store)).toEqual([]);
    expect(mountsUnder(store)).toEqual([]);
  });

  it('sector-size 4096 and lock: the stage sees 4096-byte sectors, and the locked device exclusively held', async () => {
    const project = makeProject();
    const store = tempDir('engine-store-');
    const script = [
      'blockdev --getss "$DEVICE_big"',
      'blockdev --getsize64 "$DEVICE_big"',
      'if flock --nonblock --shared "$DEVICE_big" true; then echo big=free; else echo big=locked; fi',
      'if flock --nonblock --shared "$DEVICE_plain" true; then echo plain=shared-ok; fi',
    ].join('\n');
    const stages = [
      shell('truncate -s 16M disk.img'),
      shell(script, { devices: { big: loopback({ 'sector-size': 4096, start: 256, size: 1024, lock: true }), plain: loopback({}) } }),
    ];
    const result = await build(project.dir, manifest(stages), { store });
    const meta = result.stages[1]!.metadata as ShellMetadata;
    expect(meta.stdout.split('\n')).toEqual(['4096', String(1024 * 4096), 'big=locked', 'plain=shared-ok', '']);
    expect(meta.devices.big!.path).not.toBe(meta.devices.plain!.path);
    expect(loopsUnder(store)).toEqual([]);
  });

  it('a device that cannot be set up fails the stage before it runs, naming the device by manifest path', async () => {
    const project = makeProject();
    const store = tempDir('engine-store-');
    const stages = [shell('truncate -s 1M disk.img'), shell('echo never', { devices: { disk: loopback({ filename: 'nope.img' }) } })];
    const error = (await build(project.dir, manifest(stages), { store }).catch((e: unknown) => e)) as Error & { code: string };
    expect(error.code).toBe('E_HOST_SERVICE');
    expect(error.message).toContain('pipelines[0].stages[1].devices.disk (org.osbuild.loopback, "disk"): "filename" nope.img does not exist in the stage\'s tree');
    expect(loopsUnder(store)).toEqual([]);
    expect(mountsUnder(store)).toEqual([]);
  });
});

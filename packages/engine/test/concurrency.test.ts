import { describe, expect, it } from 'vitest';
import { build, loopsUnder, makeProject, manifest, mountsUnder, shell, tempDir } from './helpers.js';

const loopback = (start: number) => ({ type: 'org.osbuild.loopback', options: { filename: 'disk.img', start, size: 2048 } });

describe('two image builds at once', () => {
  it('never share a loop device, and release all of them', async () => {
    const project = makeProject();
    const stores = [tempDir('engine-store-'), tempDir('engine-store-')];
    // Each build holds three devices for a while; both run at the same time.
    const stages = (n: number) => [
      shell(`truncate -s 8M disk.img # build ${n}`),
      shell('echo "$DEVICE_a $DEVICE_b $DEVICE_c" && sleep 2', { devices: { a: loopback(0), b: loopback(2048), c: loopback(4096) } }),
    ];
    const results = await Promise.all(stores.map((store, n) => build(project.dir, manifest(stages(n)), { store })));
    const devices = results.map((result) => (result.stages[1]!.metadata as { stdout: string }).stdout.trim().split(' '));
    expect(devices.map((list) => list.length)).toEqual([3, 3]);
    expect(new Set(devices.flat()).size).toBe(6);
    for (const store of stores) {
      expect(loopsUnder(store)).toEqual([]);
      expect(mountsUnder(store)).toEqual([]);
    }
  });
});

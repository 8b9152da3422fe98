import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build, loopsUnder, makeProject, manifest, mountsUnder, shell, tempDir } from './helpers.js';

const loopback = { type: 'org.osbuild.loopback', options: { filename: 'disk.img' } };
const services = { devices: { root: loopback }, mounts: [{ name: 'root', type: 'org.osbuild.ext4', source: 'root', target: '/' }] };

/**
 * A loop-device image pipeline: a plain stage makes the image file, then
 * device stages (mkfs.ext4 on the loop device, a copy through the ext4
 * mount, a stage reading it back) and a stage without devices writing into
 * the image by offset (as grub2.inst does) share one layer.
 */
function stages(last = 'cat "$MOUNT_root/hello.txt"', middle = '') {
  return [
    shell('truncate -s 48M disk.img && echo hello > hello.txt'),
    shell('mkfs.ext4 -q -F "$DEVICE_root" && echo made', { devices: { root: loopback } }),
    {
      type: 'org.osbuild.copy',
      options: { paths: [{ from: 'tree:///hello.txt', to: 'mount://root/hello.txt' }] },
      ...services,
    },
    ...(middle === '' ? [] : [shell(middle, services)]),
    shell(last, services),
    shell('printf osbuild | dd of=disk.img bs=1 seek=64 conv=notrunc status=none'),
  ];
}

const objects = (store: string) => readdirSync(join(store, 'objects')).sort();
const infoOf = (store: string, key: string) => JSON.parse(readFileSync(join(store, 'objects', key, 'object.info'), 'utf8')) as { chain?: { key: string; id: string }[] };

function expectNothingLeft(store: string): void {
  expect(loopsUnder(store)).toEqual([]);
  expect(mountsUnder(store)).toEqual([]);
  expect(readdirSync(join(store, 'stage'))).toEqual([]);
}

describe('from the first device stage on, stages share one layer', () => {
  it('one object for the image stages; a second build is cached with the same metadata; a changed stage re-runs the layer from its first stage', async () => {
    const project = makeProject();
    const store = tempDir('engine-store-');
    const out = tempDir('engine-out-');
    const first = await build(project.dir, manifest(stages()), { store, outputDirectory: out });
    expect(first.ran).toEqual([1, 2, 3, 4, 5]);
    const keys = first.stages.map((s) => s.key);
    // Stage 1 and the layer of stages 2–5, stored under stage 5's key.
    expect(objects(store)).toEqual([keys[0]!, keys[4]!].sort());
    expect(infoOf(store, keys[4]!).chain?.map((l) => [l.key, l.id])).toEqual([1, 2, 3].map((i) => [keys[i], first.stages[i]!.id]));
    expect((first.stages[1]!.metadata as { stdout: string }).stdout).toBe('made\n');
    expect((first.stages[3]!.metadata as { stdout: string }).stdout).toBe('hello\n');
    const image = join(out, 'tree', 'disk.img');
    expect(execFileSync('debugfs', ['-R', 'cat /hello.txt', image], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })).toBe('hello\n');
    expect(readFileSync(image).subarray(64, 71).toString()).toBe('osbuild');
    expectNothingLeft(store);

    const again = await build(project.dir, manifest(stages()), { store });
    expect(again.cached).toEqual([1, 2, 3, 4, 5]);
    expect(again.stages.map((s) => [s.key, s.metadata])).toEqual(first.stages.map((s) => [s.key, s.metadata]));

    const changed = await build(project.dir, manifest(stages('cat "$MOUNT_root/hello.txt" && echo changed')), { store });
    expect(changed.cached).toEqual([1]);
    expect(changed.ran).toEqual([2, 3, 4, 5]);
    expect(changed.stages[1]!.reason).toBe('stored with stage 5 (stages from the first with devices share one layer), which is not in store');
    expect(changed.stages[3]!.reason).toBe('stage 4 options changed');
    expect((changed.stages[3]!.metadata as { stdout: string }).stdout).toBe('hello\nchanged\n');
    expect(changed.stages[4]!.reason).toBe('an earlier stage changed');
    expect(objects(store)).toHaveLength(3);
    expectNothingLeft(store);
  });

  it('a failure in the middle of the run leaves none of its stages in the store; the next build runs them all', async () => {
    const project = makeProject();
    const store = tempDir('engine-store-');
    const failing = stages(undefined, 'echo failing && exit 3');
    const error = (await build(project.dir, manifest(failing), { store }).catch((e: unknown) => e)) as Error & { code: string };
    expect(error.code).toBe('E_STAGE_FAILED');
    expect(error.message).toContain('org.test.shell');
    expect(objects(store)).toHaveLength(1); // stage 1 only
    expectNothingLeft(store);
    const fixed = await build(project.dir, manifest(stages(undefined, 'echo fixed')), { store });
    expect(fixed.cached).toEqual([1]);
    expect(fixed.ran).toEqual([2, 3, 4, 5, 6]);
    expect(objects(store)).toHaveLength(2);
    expectNothingLeft(store);
  });

  it('a --checkpoint inside the run ends it there; chainDevices: false commits every stage', async () => {
    const project = makeProject();
    const store = tempDir('engine-store-');
    const plain = await build(project.dir, manifest(stages()), { store, chainDevices: false });
    expect(plain.ran).toEqual([1, 2, 3, 4, 5]);
    expect(objects(store)).toEqual(plain.stages.map((s) => s.key).sort());

    const other = tempDir('engine-store-');
    const pinned = await build(project.dir, manifest(stages()), { store: other, checkpoints: new Set([plain.stages[2]!.id]) });
    expect(pinned.stages.map((s) => s.key)).toEqual(plain.stages.map((s) => s.key));
    const keys = pinned.stages.map((s) => s.key);
    expect(objects(other)).toEqual([keys[0]!, keys[2]!, keys[4]!].sort());
    expect(existsSync(join(other, 'objects', keys[2]!, 'pinned'))).toBe(true);
    expect(infoOf(other, keys[2]!).chain?.map((l) => l.key)).toEqual([keys[1]]);
    expect(infoOf(other, keys[4]!).chain?.map((l) => l.key)).toEqual([keys[3]]);
    expectNothingLeft(other);
  });

  it('two builds of the same manifest at once build the run once, and both report every stage', async () => {
    const project = makeProject();
    const store = tempDir('engine-store-');
    const slow = stages('sleep 1 && cat "$MOUNT_root/hello.txt"');
    const results = await Promise.all([0, 1].map(() => build(project.dir, manifest(slow), { store })));
    const ranCount = [1, 2, 3, 4, 5].map((i) => results.filter((r) => r.ran.includes(i)).length);
    expect(ranCount).toEqual([1, 1, 1, 1, 1]);
    for (const r of results) expect(r.stages.map((s) => s.index + 1)).toEqual([1, 2, 3, 4, 5]);
    expect(results[0]!.stages.map((s) => s.metadata)).toEqual(results[1]!.stages.map((s) => s.metadata));
    expect(objects(store)).toHaveLength(2);
    expectNothingLeft(store);
  });
});

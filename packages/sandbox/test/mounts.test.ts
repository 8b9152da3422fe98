import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertNothingMountedUnder, attachMounts, detachMountsUnder, mountBuildAreas, mountPoints, mountsUnder } from '../src/mounts.js';
import { mountinfo, tempDir } from './helpers.js';

function propagation(point: string): string {
  const line = mountinfo().find((entry) => entry.split(' ')[4] === point) ?? '';
  const optional = line.split(' - ')[0]?.split(' ').slice(6) ?? [];
  return optional.join(' ');
}

describe('host mounts', () => {
  it('build areas: the shared one is a peer group of its own, the staging one is private', async () => {
    const dir = await tempDir();
    const shared = path.join(dir, 'shared');
    const staging = path.join(dir, 'staging');
    await Promise.all([mkdir(shared), mkdir(staging)]);
    await mountBuildAreas(shared, staging);
    try {
      expect(propagation(shared)).toMatch(/^shared:\d+$/);
      const group = propagation(shared);
      // No other mount on the host is in that peer group.
      expect(mountinfo().filter((line) => line.includes(` ${group} `) || line.endsWith(` ${group}`))).toHaveLength(1);
      expect(propagation(staging)).toBe('');
    } finally {
      await detachMountsUnder([dir]);
    }
    expect(await mountsUnder(dir)).toEqual([]);
  });

  it('staged binds end up private and read-only when asked, and are detached even while busy', async () => {
    const dir = await tempDir();
    const shared = path.join(dir, 'shared');
    const staging = path.join(dir, 'staging');
    const source = path.join(dir, 'source');
    await Promise.all([mkdir(shared), mkdir(staging), mkdir(source)]);
    await writeFile(path.join(source, 'file'), 'x');
    await mountBuildAreas(shared, staging);
    try {
      await Promise.all([mkdir(path.join(shared, 'ro')), mkdir(path.join(shared, 'rw')), mkdir(path.join(staging, '0')), mkdir(path.join(staging, '1'))]);
      await attachMounts([
        { source, target: path.join(shared, 'ro'), readOnly: true, staging: path.join(staging, '0') },
        { source, target: path.join(shared, 'rw'), readOnly: false, staging: path.join(staging, '1') },
      ]);
      const ro = mountinfo().find((line) => line.split(' ')[4] === path.join(shared, 'ro')) ?? '';
      expect(ro.split(' ')[5]).toMatch(/^ro,/);
      await expect(writeFile(path.join(shared, 'ro/new'), 'x')).rejects.toMatchObject({ code: 'EROFS' });
      await writeFile(path.join(shared, 'rw/new'), 'x');
      // The staging points are empty again: the binds moved.
      expect(await mountsUnder(staging)).toEqual([staging]);
      await expect(assertNothingMountedUnder(shared)).rejects.toMatchObject({ code: 'E_SANDBOX' });

      // Keep one busy: a process whose working directory is inside it.
      const busy = spawn('sleep', ['30'], { cwd: path.join(shared, 'rw'), stdio: 'ignore' });
      try {
        await detachMountsUnder([path.join(shared, 'ro'), path.join(shared, 'rw')]);
        expect((await mountsUnder(shared)).sort()).toEqual([shared]);
      } finally {
        busy.kill('SIGKILL');
      }
    } finally {
      await detachMountsUnder([dir]);
    }
    expect(await mountsUnder(dir)).toEqual([]);
    expect((await mountPoints()).length).toBeGreaterThan(0);
  });
});

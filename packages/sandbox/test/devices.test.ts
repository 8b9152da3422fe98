import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runInSandbox } from '../src/run.js';
import { PROBE, mountLinesUnder, probeArgs, reports, tempDir, type Action } from './helpers.js';

async function probe(actions: Action[], extra: Partial<Parameters<typeof runInSandbox>[0]>) {
  const lines: string[] = [];
  const result = await runInSandbox({
    ...PROBE,
    tree: await tempDir(),
    arguments: probeArgs(actions),
    tempDir: await tempDir(),
    onOutput: (line) => lines.push(line),
    ...extra,
  });
  return { result, seen: reports(lines) };
}

describe('devices and mounts of a stage', () => {
  it('binds the given device nodes into /dev and shows mountsDir, with what is mounted below it, at /run/osbuild/mounts', async () => {
    const dir = await tempDir();
    const image = path.join(dir, 'disk.img');
    execFileSync('truncate', ['-s', '16M', image]);
    execFileSync('mkfs.ext4', ['-q', '-F', image]);
    const device = execFileSync('losetup', ['--find', '--show', image], { encoding: 'utf8' }).trim();
    onTestFinished(() => void execFileSync('losetup', ['--detach', device]));
    // The engine's layout: a private mount root with the stage's file systems inside.
    const mounts = path.join(dir, 'mounts');
    await mkdir(mounts);
    execFileSync('mount', ['--make-private', device, mounts]);
    onTestFinished(() => void execFileSync('umount', ['--lazy', mounts]));
    await writeFile(path.join(mounts, 'before'), 'host');

    const { result, seen } = await probe(
      [
        { do: 'exec', command: 'blockdev', args: ['--getsize64', device] },
        { do: 'ls', path: '/run/osbuild/mounts' },
        { do: 'append', path: '/run/osbuild/mounts/from-stage', text: 'stage' },
      ],
      { devices: [device], mountsDir: mounts },
    );
    expect(result.exitCode).toBe(0);
    expect(seen.exec).toEqual({ ok: true, value: String(16 * 1024 * 1024) });
    expect(seen.ls).toEqual({ ok: true, value: ['before', 'lost+found'] });
    expect(await readFile(path.join(mounts, 'from-stage'), 'utf8')).toBe('stage');
    // Nothing of the sandbox stays mounted below the mount root on the host.
    expect(mountLinesUnder([mounts]).map((line) => line.split(' ')[4])).toEqual([mounts]);
  });

  it('without devices, the host\'s block devices stay invisible', async () => {
    const { seen } = await probe([{ do: 'ls', path: '/dev' }], {});
    expect((seen.ls as { value: string[] }).value.filter((name) => name.startsWith('loop'))).toEqual([]);
  });

  it('refuses device paths outside /dev and non-devices', async () => {
    await expect(probe([], { devices: ['/etc/passwd'] })).rejects.toMatchObject({ code: 'E_SANDBOX', message: expect.stringContaining('not a path under /dev') });
    await expect(probe([], { devices: ['/dev/../etc/passwd'] })).rejects.toMatchObject({ code: 'E_SANDBOX' });
    await expect(probe([], { devices: ['/dev/shm'] })).rejects.toMatchObject({ message: expect.stringContaining('is not a device') });
  });
});

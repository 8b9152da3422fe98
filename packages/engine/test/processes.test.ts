import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { loopsUnder, makeProject, manifest, mountsUnder, repoRoot, shell, tempDir, write } from './helpers.js';

const bin = join(repoRoot, 'packages', 'cli', 'bin', 'osbuild.js');

function osbuild(project: string, store: string, file: string, out: string) {
  return execa(process.execPath, [bin, '--libdir', project, '--store', store, '--export', 'tree', '--output-directory', out, file], {
    reject: false,
    all: true,
  });
}

const ranCount = (output: string) => output.split('\n').filter((l) => l.startsWith('⏱  Duration')).length;

describe('builds in separate processes', () => {
  it('two builds of one manifest on one store build each object once and both succeed', async () => {
    const project = makeProject();
    const store = tempDir('engine-store-');
    const dir = tempDir('engine-manifest-');
    const file = join(dir, 'm.json');
    writeFileSync(file, manifest([1, 2, 3, 4, 5].map((n) => write(`/f${n}`, `${n}`, { sleep: 200 }))));
    const [a, b] = await Promise.all([osbuild(project.dir, store, file, join(dir, 'a')), osbuild(project.dir, store, file, join(dir, 'b'))]);
    expect(a.exitCode, a.all).toBe(0);
    expect(b.exitCode, b.all).toBe(0);
    expect(ranCount(a.all!) + ranCount(b.all!)).toBe(5);
    for (const out of ['a', 'b']) expect(readFileSync(join(dir, out, 'tree', 'f5'), 'utf8')).toBe('5');
    expect(mountsUnder(store)).toEqual([]);
  });

  it('kill -9 in the middle of a stage: the next build reuses every committed object', async () => {
    const project = makeProject();
    const store = tempDir('engine-store-');
    const dir = tempDir('engine-manifest-');
    const file = join(dir, 'm.json');
    const stages = [write('/one', '1'), write('/two', '2'), write('/three', '3', { sleep: 1500 }), write('/four', '4'), write('/five', '5')];
    writeFileSync(file, manifest(stages));
    const child = osbuild(project.dir, store, file, join(dir, 'out'));
    await new Promise<void>((resolve) => {
      child.all!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('writing /three')) resolve();
      });
    });
    child.kill('SIGKILL');
    await child;

    const again = await osbuild(project.dir, store, file, join(dir, 'out'));
    expect(again.exitCode, again.all).toBe(0);
    expect(again.all).toContain('org.test.write: ');
    expect(ranCount(again.all!)).toBe(3);
    expect(readFileSync(join(dir, 'out', 'tree', 'five'), 'utf8')).toBe('5');
    expect(mountsUnder(store)).toEqual([]);
  });
});

describe('a killed engine', () => {
  it('kill -9 while a stage has an ext4 file system mounted on a loop device: both are released, the next build works', async () => {
    const project = makeProject();
    const store = tempDir('engine-store-');
    const dir = tempDir('engine-manifest-');
    const file = join(dir, 'm.json');
    const services = {
      devices: { root: { type: 'org.osbuild.loopback', options: { filename: 'disk.img' } } },
      mounts: [{ name: 'root', type: 'org.osbuild.ext4', source: 'root', target: '/' }],
    };
    const stages = [shell('truncate -s 32M disk.img && mkfs.ext4 -q -F disk.img'), shell('echo "in-the-$((1 + 1))-mount" && sleep 30', services)];
    writeFileSync(file, manifest(stages));
    const child = osbuild(project.dir, store, file, join(dir, 'out'));
    await new Promise<void>((resolve) => {
      child.all!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('in-the-2-mount')) resolve(); // the output, not the script the log shows
      });
    });
    expect(loopsUnder(store)).toHaveLength(1);
    child.kill('SIGKILL');
    await child;
    // The services see their stdin close and tear down on their own.
    for (let i = 0; i < 200 && (loopsUnder(store).length > 0 || ext4MountsUnder(store).length > 0); i++) await new Promise((r) => setTimeout(r, 50));
    expect(ext4MountsUnder(store)).toEqual([]);
    expect(loopsUnder(store)).toEqual([]);

    writeFileSync(file, manifest([stages[0], shell('echo done', services)]));
    const again = await osbuild(project.dir, store, file, join(dir, 'out'));
    expect(again.exitCode, again.all).toBe(0);
    expect(mountsUnder(store)).toEqual([]);
    expect(loopsUnder(store)).toEqual([]);
  });
});

function ext4MountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter((line) => line.split(' - ')[1]?.startsWith('ext4 ') && (line.split(' ')[4] ?? '').startsWith(dir));
}

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { makeProject, manifest, mountsUnder, repoRoot, tempDir, write } from './helpers.js';

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

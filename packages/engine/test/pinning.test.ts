import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build, makeProject, manifest, tempDir, write } from './helpers.js';

/**
 * Pinning is npm's: each project pins its stage versions. Two projects that
 * pin different versions of one stage and share one store must never get
 * each other's objects, whatever order they build in.
 */
describe('two projects pinning different versions of a stage, one store', () => {
  it('each builds with its own version, and both stay cached side by side', async () => {
    const store = tempDir('engine-store-');
    const pinnedOld = makeProject();
    const pinnedNew = makeProject();
    pinnedNew.setWriteVersion('2.0.0');
    // 2.0.0 behaves differently: what it writes is marked.
    const entry = join(pinnedNew.dir, 'node_modules', '@osbuild-ts-fixtures', 'stage-write', 'main.js');
    writeFileSync(entry, readFileSync(entry, 'utf8').replace('bytes === undefined ? content :', "bytes === undefined ? `${content} (v2)` :"));

    const stages = [{ type: 'org.osbuild.mkdir', options: { paths: [{ path: '/etc' }] } }, write('/etc/motd', 'hello')];
    const exportOf = async (project: { dir: string }) => {
      const out = tempDir('engine-out-');
      const result = await build(project.dir, manifest(stages), { store, outputDirectory: out });
      return { result, motd: readFileSync(join(out, 'tree', 'etc', 'motd'), 'utf8') };
    };

    const old1 = await exportOf(pinnedOld);
    expect(old1.motd).toBe('hello');
    expect(old1.result.stages[1]!.plugin).toBe('@osbuild-ts-fixtures/stage-write@1.0.0');

    // The shared mkdir object is reused; the other version's object is not.
    const new1 = await exportOf(pinnedNew);
    expect(new1.motd).toBe('hello (v2)');
    expect(new1.result.cached).toEqual([1]);
    expect(new1.result.ran).toEqual([2]);
    expect(new1.result.stages[1]!.plugin).toBe('@osbuild-ts-fixtures/stage-write@2.0.0');

    // Back and forth: each finds its own objects, nothing runs, nothing is mixed up.
    const old2 = await exportOf(pinnedOld);
    expect(old2.result.ran).toEqual([]);
    expect(old2.motd).toBe('hello');
    const new2 = await exportOf(pinnedNew);
    expect(new2.result.ran).toEqual([]);
    expect(new2.motd).toBe('hello (v2)');
  });
});

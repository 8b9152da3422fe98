import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build, makeProject, tempDir, write } from './helpers.js';

/**
 * build → os → image, both on the build root; image runs `before`, then
 * copies /etc/os from the os pipeline (an org.osbuild.tree input).
 */
function threePipelines(before: unknown[]): string {
  return JSON.stringify({
    version: '2',
    pipelines: [
      { name: 'build', stages: [write('/usr/share/marker', 'from the build root')] },
      { name: 'os', build: 'name:build', stages: [write('/etc/os', 'the os tree')] },
      {
        name: 'image',
        build: 'name:build',
        stages: [
          ...before,
          {
            type: 'org.test.write',
            options: { path: '/os-copy', from: '/run/osbuild/inputs/root/etc/os' },
            inputs: { root: { type: 'org.osbuild.tree', origin: 'org.osbuild.pipeline', references: ['name:os'] } },
          },
        ],
      },
    ],
  });
}

describe('manifests with several pipelines', () => {
  it('runs stages on their build root and gives them other pipelines as inputs', async () => {
    const project = makeProject();
    const store = tempDir('engine-store-');
    const out = tempDir('engine-out-');
    const text = threePipelines([write('/marker-copy', '', { from: '/usr/share/marker' })]);
    const result = await build(project.dir, text, { store, outputDirectory: out, exports: [{ name: 'image', pipeline: 'image' }] });
    expect(result.stages.map((s) => `${s.pipeline}/${s.index + 1}`).sort()).toEqual(['build/1', 'image/1', 'image/2', 'os/1']);
    expect(readFileSync(join(out, 'image', 'marker-copy'), 'utf8')).toBe('from the build root');
    expect(readFileSync(join(out, 'image', 'os-copy'), 'utf8')).toBe('the os tree');

    // A change in the input pipeline reruns only what reads it.
    const changed = text.replace('the os tree', 'another os tree');
    const again = await build(project.dir, changed, { store, outputDirectory: out, exports: [{ name: 'image', pipeline: 'image' }] });
    expect(again.stages.filter((s) => !s.cached).map((s) => `${s.pipeline}/${s.index + 1}`)).toEqual(['os/1', 'image/2']);
    expect(again.stages.find((s) => s.pipeline === 'image' && s.index === 1)!.reason).toBe('an input pipeline changed');
    expect(readFileSync(join(out, 'image', 'os-copy'), 'utf8')).toBe('another os tree');
  });

  it('a cached export needs nothing below it: its build root is not visited (nor rebuilt once evicted); recordsOf still visits an input pipeline', async () => {
    const project = makeProject();
    const store = tempDir('engine-store-');
    const out = tempDir('engine-out-');
    const text = threePipelines([]);
    const exports = [{ name: 'image', pipeline: 'image' }];
    const first = await build(project.dir, text, { store, outputDirectory: out, exports });
    const keyOf = (pipeline: string) => first.stages.find((s) => s.pipeline === pipeline)!.key;

    const cached = await build(project.dir, text, { store, outputDirectory: out, exports });
    expect(cached.stages.map((s) => `${s.pipeline}/${s.cached ? 'cached' : 'ran'}`)).toEqual(['image/cached']);

    const withRecords = await build(project.dir, text, { store, outputDirectory: out, exports, recordsOf: ['os'] });
    expect(withRecords.stages.map((s) => `${s.pipeline}/${s.cached ? 'cached' : 'ran'}`).sort()).toEqual(['image/cached', 'os/cached']);

    // With the build root and the os tree evicted, the cached image still needs neither.
    const { openStore } = await import('@osbuild-ts/store');
    const opened = await openStore(store);
    for (const pipeline of ['build', 'os']) await opened.drop(keyOf(pipeline));
    await opened.close();
    const evicted = await build(project.dir, text, { store, outputDirectory: out, exports });
    expect(evicted.stages.map((s) => `${s.pipeline}/${s.cached ? 'cached' : 'ran'}`)).toEqual(['image/cached']);
    expect(readFileSync(join(out, 'image', 'os-copy'), 'utf8')).toBe('the os tree');
  });
});

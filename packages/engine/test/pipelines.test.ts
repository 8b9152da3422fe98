import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build, makeProject, tempDir, write } from './helpers.js';

describe('manifests with several pipelines', () => {
  it('runs stages on their build root and gives them other pipelines as inputs', async () => {
    const project = makeProject();
    const store = tempDir('engine-store-');
    const out = tempDir('engine-out-');
    const text = JSON.stringify({
      version: '2',
      pipelines: [
        { name: 'build', stages: [write('/usr/share/marker', 'from the build root')] },
        { name: 'os', build: 'name:build', stages: [write('/etc/os', 'the os tree')] },
        {
          name: 'image',
          build: 'name:build',
          stages: [
            write('/marker-copy', '', { from: '/usr/share/marker' }),
            {
              type: 'org.test.write',
              options: { path: '/os-copy', from: '/run/osbuild/inputs/root/etc/os' },
              inputs: { root: { type: 'org.osbuild.tree', origin: 'org.osbuild.pipeline', references: ['name:os'] } },
            },
          ],
        },
      ],
    });
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
});

import { describe, expect, it } from 'vitest';
import type { PlannedPipeline } from '../src/plan.js';
import { runInDependencyOrder } from '../src/schedule.js';

function pipeline(name: string, build: PlannedPipeline | null = null, inputs: PlannedPipeline[] = []): PlannedPipeline {
  return { pipeline: { name } as PlannedPipeline['pipeline'], stages: [], key: null, build, inputs };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('runInDependencyOrder', () => {
  it('runs independent pipelines together, dependants after their dependencies', async () => {
    const build = pipeline('build');
    const a = pipeline('a', build);
    const b = pipeline('b', build);
    const image = pipeline('image', build, [a, b]);
    const log: string[] = [];
    let running = 0;
    let most = 0;
    await runInDependencyOrder([build, a, b, image], async (pp) => {
      running++;
      most = Math.max(most, running);
      log.push(`start ${pp.pipeline.name}`);
      await tick();
      log.push(`end ${pp.pipeline.name}`);
      running--;
    }, 2);
    expect(log.indexOf('end build')).toBeLessThan(log.indexOf('start a'));
    expect(log.indexOf('end a')).toBeLessThan(log.indexOf('start image'));
    expect(log.indexOf('end b')).toBeLessThan(log.indexOf('start image'));
    expect(most).toBe(2);
  });

  it('starts nothing after a failure, lets running ones finish, throws the first error', async () => {
    const a = pipeline('a');
    const b = pipeline('b');
    const c = pipeline('c', a);
    const finished: string[] = [];
    await expect(
      runInDependencyOrder([a, b, c], async (pp) => {
        if (pp.pipeline.name === 'a') throw new Error('a failed');
        await tick();
        finished.push(pp.pipeline.name);
      }, 2),
    ).rejects.toThrow('a failed');
    expect(finished).toEqual(['b']);
  });
});

import { describe, expect, it } from 'vitest';
import { createBuildSandbox } from '../src/prewarm.js';
import { PROBE, mountLinesUnder, tempDir } from './helpers.js';
import { readdirSync, readFileSync } from 'node:fs';

/** Processes whose command line mentions `text`. */
function processesMentioning(text: string): string[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return cmdline.includes(text) ? [pid] : [];
      } catch {
        return [];
      }
    });
}

describe('a runner disposed while its sandbox starts (issue #23)', () => {
  // bwrap 0.8's pid-1 arms --die-with-parent only after its mounts: killing
  // the launcher then orphaned pid-1 and the build waited forever on its pipes.
  it('ends for certain, at any moment of the start-up, leaving no process and no mount', async () => {
    const buildDir = await tempDir();
    const build = await createBuildSandbox({ buildDir });
    try {
      for (const delay of [0, 0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55]) {
        const runner = build.prewarm(PROBE);
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
        await runner.dispose();
        expect(processesMentioning(build.dir)).toEqual([]);
      }
    } finally {
      await build.close();
    }
    expect(mountLinesUnder([buildDir])).toEqual([]);
  }, 120_000);
});

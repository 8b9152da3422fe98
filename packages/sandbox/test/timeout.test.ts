import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createBuildSandbox } from '../src/prewarm.js';
import { startTimeout } from '../src/timeout.js';
import { PROBE, mountLinesUnder, probeArgs, processesWith, tempDir, uniqueSleep } from './helpers.js';

describe('timeouts', () => {
  it('kill the whole sandbox: no process, no mount, no directory survives', async () => {
    const buildDir = await tempDir();
    const marker = uniqueSleep();
    const build = await createBuildSandbox({ buildDir });
    const runner = build.prewarm(PROBE);
    const lines: string[] = [];
    let mountedWhileRunning = 0;
    // Tree and input handed over at "go": host mounts that must go too.
    const result = await runner.start({
      tree: await tempDir(),
      inputs: [{ name: 'files', hostPath: await tempDir() }],
      arguments: probeArgs([{ do: 'daemon', seconds: marker }, { do: 'print', lines: ['started\n'] }, { do: 'hang' }]),
      timeoutMs: 1000,
      onOutput: (line) => {
        lines.push(line);
        if (line === 'started') mountedWhileRunning = mountLinesUnder([buildDir]).filter((entry) => entry.includes('/slots/')).length;
      },
    });
    expect(mountedWhileRunning).toBe(2);
    expect(result).toMatchObject({ timedOut: true, exitCode: null, signal: 'SIGKILL' });
    expect(result.durationMs).toBeGreaterThanOrEqual(1000);
    expect(result.durationMs).toBeLessThan(5000);
    expect(lines).toContain('started');
    // Checked when start() returns, not eventually.
    expect(processesWith(marker)).toEqual([]);
    expect(mountLinesUnder([buildDir]).filter((line) => line.includes('/slots/'))).toEqual([]);
    await build.close();
    expect(mountLinesUnder([buildDir])).toEqual([]);
    expect(await readdir(buildDir)).toEqual([]);
  });

  it('do not fire for a stage that finishes in time', async () => {
    const build = await createBuildSandbox({ buildDir: await tempDir() });
    try {
      const result = await build.prewarm({ ...PROBE, tree: await tempDir() }).start({ arguments: probeArgs([]), timeoutMs: 10_000 });
      expect(result).toMatchObject({ timedOut: false, exitCode: 0 });
    } finally {
      await build.close();
    }
  });

  it('disposing a running stage kills it the same way', async () => {
    const marker = uniqueSleep();
    const build = await createBuildSandbox({ buildDir: await tempDir() });
    const runner = build.prewarm({ ...PROBE, tree: await tempDir() });
    const running = runner.start({ arguments: probeArgs([{ do: 'daemon', seconds: marker }, { do: 'hang' }]) });
    // Really running (its daemon exists): a runner disposed before "go" reports that instead.
    for (let i = 0; i < 300 && processesWith(marker).length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(processesWith(marker).length).toBeGreaterThan(0);
    await build.close();
    expect(await running).toMatchObject({ exitCode: null, signal: 'SIGKILL', timedOut: false });
    expect(processesWith(marker)).toEqual([]);
  });
});

describe('startTimeout', () => {
  it('can be cancelled and is a no-op without a limit', async () => {
    let fired = 0;
    startTimeout(undefined, () => fired++)();
    startTimeout(10, () => fired++)();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(fired).toBe(0);
  });
});

import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startCommandServer } from './command-server.js';
import { OsbuildError } from './errors.js';
import { onExitCleanup } from './exit-cleanup.js';
import { assertNothingMountedUnder, detachMountsUnder, mountBuildAreas } from './mounts.js';
import { createRunner, type BuildContext, type RunnerHandle } from './runner.js';
import { RUNNER_SOURCE } from './runner-source.js';
import { slotPaths, type BuildAreas } from './slot.js';
import { writeOwner } from './sweep.js';
import { checkSandboxTools } from './tools.js';
import type { BuildSandbox, BuildSandboxOptions } from './types.js';

/**
 * Set up one build's sandbox areas, from which runners are prewarmed: each
 * runner's sandboxed Node starts while earlier stages still run and waits for
 * its "go". Checks for bubblewrap first, so a missing tool is reported before
 * anything is built.
 */
export async function createBuildSandbox(options: BuildSandboxOptions): Promise<BuildSandbox> {
  const tools = await checkSandboxTools();
  await mkdir(options.buildDir, { recursive: true });
  const dir = await mkdtemp(path.join(path.resolve(options.buildDir), 'sandbox-'));
  const areas: BuildAreas = { shared: path.join(dir, 'shared'), staging: path.join(dir, 'staging'), varRoot: path.join(dir, 'var') };
  await Promise.all([mkdir(areas.shared), mkdir(areas.staging), mkdir(areas.varRoot), writeOwner(dir)]);
  const runnerScript = path.join(areas.shared, 'node-runner.mjs');
  const cmdline = path.join(areas.shared, 'cmdline');
  try {
    await mountBuildAreas(areas.shared, areas.staging);
    await Promise.all([writeFile(runnerScript, RUNNER_SOURCE), writeFile(cmdline, 'root=/dev/osbuild\n')]);
  } catch (error) {
    await detachMountsUnder([dir]).catch(() => undefined);
    await removeTree(dir).catch(() => undefined);
    throw error;
  }

  const server = startCommandServer();
  const runners = new Set<RunnerHandle>();
  const pending = new Set<Promise<unknown>>();
  let nextSlot = 0;
  let closed = false;
  const unregister = onExitCleanup(() => {
    for (const runner of runners) runner.killNow();
    // A lazy umount takes everything below along; only then is deleting safe.
    spawnSync('umount', ['--lazy', areas.shared, areas.staging], { stdio: 'ignore' });
    const mountinfo = readFileSync('/proc/self/mountinfo', 'utf8');
    if (!mountinfo.includes(` ${dir}/`) && !mountinfo.includes(` ${dir} `)) rmSync(dir, { recursive: true, force: true });
  });

  const context: BuildContext = {
    bwrap: tools.bwrap,
    run: server.run,
    runnerScript,
    cmdline,
    background(work) {
      const tracked = work.catch(() => undefined).finally(() => pending.delete(tracked));
      pending.add(tracked);
    },
  };

  return {
    dir,
    prewarm(spec) {
      if (closed) throw new OsbuildError('E_SANDBOX', 'this build sandbox is closed');
      const handle = createRunner(context, spec, slotPaths(areas, nextSlot++), () => runners.delete(handle));
      runners.add(handle);
      return handle.runner;
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...runners].map((handle) => handle.runner.dispose()));
      while (pending.size > 0) await Promise.all([...pending]);
      await detachMountsUnder([dir], server.run);
      server.close();
      await removeTree(dir);
      unregister();
    },
  };
}

async function removeTree(dir: string): Promise<void> {
  await assertNothingMountedUnder(dir);
  await rm(dir, { recursive: true, force: true });
}

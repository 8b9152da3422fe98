import os from 'node:os';
import { createBuildSandbox } from './prewarm.js';
import type { RunnerSpec, SandboxResult, StartSpec } from './types.js';

export interface SandboxSpec extends RunnerSpec, StartSpec {
  /** Where the one-off build area is created (default: the OS temp directory). */
  tempDir?: string;
}

/**
 * Run one stage in a sandbox of its own, cold. The same machinery as a
 * prewarmed runner (one code path, one set of guarantees), set up and torn
 * down around a single stage.
 */
export async function runInSandbox(spec: SandboxSpec): Promise<SandboxResult> {
  const build = await createBuildSandbox({ buildDir: spec.tempDir ?? os.tmpdir() });
  try {
    const { tree, treeReadOnly, inputs, outputDir, env, ...rest } = spec;
    // Everything is known up front: mount it before the sandbox starts.
    const runner = build.prewarm({ ...rest, tree, treeReadOnly, inputs, outputDir, env });
    return await runner.start({ ...rest });
  } finally {
    await build.close();
  }
}

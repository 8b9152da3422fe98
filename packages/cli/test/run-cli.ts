import { join } from 'node:path';
import { execa } from 'execa';
import { repoRoot } from './project.js';

export const bin = join(repoRoot, 'packages', 'cli', 'bin', 'osbuild.js');

/** Runs the real built binary, as a user would. */
export async function osbuild(args: string[], options: { cwd?: string; input?: string } = {}) {
  const result = await execa(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? repoRoot,
    input: options.input,
    reject: false,
    stripFinalNewline: false,
    env: { OSBUILD_DEBUG: '' },
  });
  return { status: result.exitCode, stdout: result.stdout, stderr: result.stderr };
}

/** Small filesystem helpers shared by the store's modules. */
import { execFile, type ExecFileOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { link, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { errnoOf, storeError, type StoreErrorReason } from './errors.js';

// Made on first use: promisify(execFile) reads execFile, which loads
// node:child_process (with net, dgram and the streams) in the start-up
// bundle, where builtins load lazily; opening a store runs no tool.
let execFileP: ((command: string, args: readonly string[], options: ExecFileOptions) => Promise<{ stdout: string; stderr: string }>) | undefined;

export function randomId(bytes = 6): string {
  return randomBytes(bytes).toString('hex');
}

/** Writes a file so that readers see the old content or the new one, never a torn one. */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const tmp = join(dirname(path), `.tmp-${randomId()}`);
  await writeFile(tmp, data);
  try {
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/**
 * Creates a file with this content unless it exists; racing creators are
 * fine (link(2) fails on an existing name, so the first complete file wins).
 */
export async function createFileOnce(path: string, data: string): Promise<void> {
  // Made by an earlier open (the usual case): no temporary file to write, link and unlink.
  if (existsSync(path)) return;
  const tmp = join(dirname(path), `.tmp-${randomId()}`);
  await writeFile(tmp, data);
  try {
    await link(tmp, path);
  } catch (error) {
    if (errnoOf(error) !== 'EEXIST') throw error;
  } finally {
    await unlink(tmp);
  }
}

/** Sync: one mkdir(2) that finds the directory there, cheaper than a thread-pool round trip (a warm build opens the store once). */
export async function ensureDir(path: string): Promise<void> {
  mkdirSync(path, { recursive: true });
}

/** rm -rf that tolerates a missing path. */
export async function removeTree(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true, maxRetries: 2 });
}

/** Runs a host tool; failures become store errors carrying its stderr. */
export async function runTool(
  command: string,
  args: readonly string[],
  options: { cwd?: string; reason?: StoreErrorReason } = {},
): Promise<string> {
  try {
    execFileP ??= promisify(execFile);
    const { stdout } = await execFileP(command, args, { cwd: options.cwd, maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    const missing = errnoOf(error) === 'ENOENT';
    throw storeError(
      options.reason ?? 'layout',
      missing
        ? `${command} is not installed (the store needs util-linux and coreutils)`
        : `${command} ${args.join(' ')} failed${stderr ? `: ${stderr}` : ''}`,
      { cause: error, details: { command, args: [...args], stderr } },
    );
  }
}

/** Disk usage of a tree: Σ st_blocks×512, hard links counted once, one filesystem. */
export async function diskUsage(path: string): Promise<number> {
  const out = await runTool('du', ['-s', '-x', '-B1', '--', path]);
  const bytes = Number.parseInt(out, 10);
  if (!Number.isFinite(bytes)) throw storeError('layout', `du printed no size for ${path}`);
  return bytes;
}

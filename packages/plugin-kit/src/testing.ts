import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StageArguments } from './arguments.js';

export interface LocalRunOptions {
  /** The stage's entry module (host path). */
  entry: string;
  /** The tree the stage works on (host directory). */
  tree: string;
  options?: Record<string, unknown>;
  inputs?: StageArguments['inputs'];
  mounts?: StageArguments['mounts'];
  id?: string;
  env?: Record<string, string>;
}

export interface LocalRunResult {
  exitCode: number | null;
  output: string;
  metadata: Record<string, unknown> | null;
}

/**
 * Runs a stage entry against a directory, without a sandbox: for a plugin's
 * own unit tests. The engine never uses this; builds always run sandboxed.
 */
export async function runStageLocally(run: LocalRunOptions): Promise<LocalRunResult> {
  const api = mkdtempSync(join(tmpdir(), 'osbuild-kit-'));
  try {
    const args: StageArguments = {
      tree: run.tree,
      paths: { devices: '/dev', inputs: '', mounts: '' },
      devices: {},
      inputs: run.inputs ?? {},
      mounts: run.mounts ?? {},
      options: run.options ?? {},
      meta: { id: run.id ?? '0'.repeat(64) },
    };
    const argumentsFile = join(api, 'arguments');
    const metaFile = join(api, 'meta');
    writeFileSync(argumentsFile, JSON.stringify(args));
    writeFileSync(metaFile, '');
    const child = spawn(process.execPath, [run.entry], {
      env: { ...process.env, ...run.env, OSBUILD_ARGUMENTS_FILE: argumentsFile, OSBUILD_META_FILE: metaFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve(code));
    });
    const meta = readFileSync(metaFile, 'utf8');
    return { exitCode, output, metadata: meta.trim() === '' ? null : (JSON.parse(meta) as Record<string, unknown>) };
  } finally {
    rmSync(api, { recursive: true, force: true });
  }
}

/** Whether a command is on PATH: for tests that need a tool the machine may lack. */
export function hasCommand(command: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command], { stdio: 'ignore' }).status === 0;
}
export { treeDiff, TIMESTAMPED_FILES } from './tree-diff.js';
export type { TreeDiff, TreeDifference } from './tree-diff.js';
export { copyTree, debianTreeTarball, debianTreeUnavailable, makeDebianTree } from './debian-tree.js';
export type { DebianTreeOptions } from './debian-tree.js';

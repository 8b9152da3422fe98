import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const REPO = join(import.meta.dirname, '..', '..');
export const OSBUILD = join(REPO, 'node_modules', '.bin', 'osbuild');

export interface Run {
  status: number | null;
  output: string;
}

/** Runs a command from the repository root (where every first-party plugin is installed), output interleaved. */
export function run(command: string, args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, output }));
  });
}

/** The last lines of some output, for assertion messages. */
export function tail(output: string, lines = 40): string {
  return output.split('\n').slice(-lines).join('\n');
}

import type * as ChildProcess from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';

// Required on first use: node:child_process brings net, dgram and the
// streams with it, a start-up cost every stage paid, tools or not.
let loaded: typeof ChildProcess | undefined;
function childProcess(): typeof ChildProcess {
  return (loaded ??= createRequire(import.meta.url)('node:child_process') as typeof ChildProcess);
}

export interface ToolOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Text for the tool's stdin. */
  input?: string;
  /** runTool only: write the tool's stdout to this file (created or truncated) instead of the stage's output. */
  stdoutFile?: string;
}

/**
 * Runs a tool from the build root (`/usr` in the sandbox), streaming its output
 * into the stage's output. A non-zero exit throws, naming the command.
 */
export function runTool(command: string, args: readonly string[], options: ToolOptions = {}): void {
  const out = options.stdoutFile === undefined ? 'inherit' : openSync(options.stdoutFile, 'w');
  let result;
  try {
    result = childProcess().spawnSync(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      input: options.input,
      stdio: [options.input === undefined ? 'inherit' : 'pipe', out, 'inherit'],
    });
  } finally {
    if (typeof out === 'number') closeSync(out);
  }
  if (result.error) throw new Error(`${command}: ${result.error.message}`);
  if (result.status !== 0) {
    const how = result.signal ? `killed by ${result.signal}` : `exit status ${result.status}`;
    throw new Error(`${[command, ...args].join(' ')} failed (${how})`);
  }
}

/** Like runTool, but returns stdout (stderr still streams). */
export function captureTool(command: string, args: readonly string[], options: ToolOptions = {}): string {
  const result = childProcess().spawnSync(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    input: options.input,
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  if (result.error) throw new Error(`${command}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${[command, ...args].join(' ')} failed (exit status ${result.status})`);
  return result.stdout;
}

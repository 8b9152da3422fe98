import { spawn } from 'node:child_process';
import { OsbuildError } from './errors.js';

export interface CommandResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Run a short host command (mount, umount, cp, ldd) and collect its output.
 * Plain `spawn` rather than execa: these calls sit on the stage-to-stage
 * critical path, and every millisecond there is paid once per stage.
 */
export function runCommand(command: string, args: readonly string[]): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ exitCode, stdout, stderr }));
  });
}

/** Like runCommand (or the given runner), but a non-zero exit is an E_SANDBOX error naming the command. */
export async function mustRun(
  command: string,
  args: readonly string[],
  what: string,
  run: (command: string, args: readonly string[]) => Promise<CommandResult> = runCommand,
): Promise<string> {
  let result: CommandResult;
  try {
    result = await run(command, args);
  } catch (cause) {
    throw new OsbuildError('E_SANDBOX', `${what}: could not run ${command}`, { cause, details: { command, args } });
  }
  if (result.exitCode !== 0) {
    throw new OsbuildError('E_SANDBOX', `${what}: ${command} exited with ${result.exitCode}: ${result.stderr.trim()}`, {
      details: { command, args, exitCode: result.exitCode, stderr: result.stderr },
    });
  }
  return result.stdout;
}

import { execFile } from 'node:child_process';
import { OsbuildError } from '@osbuild-ts/core';

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

const PACKAGES: Record<string, string> = { 'apt-get': 'apt', 'apt-cache': 'apt', dpkg: 'dpkg', 'dpkg-deb': 'dpkg', 'dpkg-query': 'dpkg' };

/** Runs a command to completion with C-locale output; a missing command is E_TOOL_MISSING. */
export function exec(command: string, args: readonly string[], env: Record<string, string> = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, LC_ALL: 'C', ...env } },
      (error, stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
          const pkg = PACKAGES[command] ?? command;
          reject(new OsbuildError('E_TOOL_MISSING', `${command} is not installed`, { hint: `apt-get install ${pkg}` }));
          return;
        }
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Like exec, but a non-zero exit throws with the tool's own error lines. */
export async function execOk(command: string, args: readonly string[], env: Record<string, string> = {}): Promise<string> {
  const result = await exec(command, args, env);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (exit status ${result.code}):\n${errorLines(result)}`);
  }
  return result.stdout;
}

const PROGRESS = /^(Reading package lists|Building dependency tree|Reading state information|NOTE: This is only a simulation)/;

/**
 * What apt said about a failure: its explanations on stdout (unmet
 * dependencies, virtual packages and their providers) and its `E:`/`W:`
 * lines, without the progress lines; the tail of stderr for other tools.
 */
export function errorLines(result: ExecResult): string {
  const lines = `${result.stdout}\n${result.stderr}`.split('\n').filter((l) => l.trim() !== '' && !PROGRESS.test(l));
  const apt = lines.some((l) => /^(E|W|Err):/.test(l));
  return (apt ? lines : result.stderr.trim().split('\n')).slice(-30).join('\n');
}

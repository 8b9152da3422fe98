import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { runCommand, type CommandResult } from './exec.js';

/** Runs a host command; the shape of `runCommand`. */
export type CommandRunner = (command: string, args: readonly string[]) => Promise<CommandResult>;

/**
 * A long-lived shell per build that runs mount(8) and umount(8) for it.
 * Forking the host's Node for every mount blocks its event loop for a few
 * milliseconds (page tables of a large process), and the late-tree path
 * needs two of them per stage, right on the critical path; a small shell
 * forks in a fraction of that. Requests are serialised; arguments travel one
 * per line, so an argument with a newline falls back to a plain spawn.
 */
const SERVER_SCRIPT = `while IFS= read -r n; do
  set --
  while [ "$n" -gt 0 ]; do IFS= read -r a; set -- "$@" "$a"; n=$((n - 1)); done
  "$@" </dev/null 2>&1
  printf '\\036%s\\n' "$?"
done`;

export interface CommandServer {
  run: CommandRunner;
  close(): void;
}

export function startCommandServer(): CommandServer {
  const child = spawn('/bin/sh', ['-c', SERVER_SCRIPT], { stdio: ['pipe', 'pipe', 'ignore'] });
  let alive = true;
  const waiting: ((result: CommandResult) => void)[] = [];
  let buffer = '';
  let queue: Promise<unknown> = Promise.resolve();

  // Idle, the server must not keep the host process alive; busy, it must.
  const handles = [child, child.stdin as unknown as Socket, child.stdout as unknown as Socket];
  const hold = (busy: boolean) => handles.forEach((handle) => (busy ? handle.ref() : handle.unref()));
  hold(false);

  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffer += chunk;
    for (;;) {
      const mark = buffer.indexOf('\x1e');
      const end = mark === -1 ? -1 : buffer.indexOf('\n', mark);
      if (end === -1) return;
      const output = buffer.slice(0, mark);
      const exitCode = Number(buffer.slice(mark + 1, end));
      buffer = buffer.slice(end + 1);
      waiting.shift()?.({ exitCode, stdout: output, stderr: output });
    }
  });
  const die = () => {
    alive = false;
    for (const resolve of waiting.splice(0)) resolve({ exitCode: null, stdout: '', stderr: 'command server exited' });
  };
  child.on('exit', die);
  child.on('error', die);
  child.stdin.on('error', () => undefined);

  const viaServer = (command: string, args: readonly string[]): Promise<CommandResult> =>
    new Promise((resolve) => {
      if (!alive) {
        resolve(runCommand(command, args));
        return;
      }
      waiting.push(resolve);
      const argv = [command, ...args];
      child.stdin.write(`${argv.length}\n${argv.join('\n')}\n`);
    });

  return {
    run(command, args) {
      if ([command, ...args].some((arg) => arg.includes('\n'))) return runCommand(command, args);
      const result = queue.then(() => {
        hold(true);
        return viaServer(command, args).finally(() => {
          if (waiting.length === 0) hold(false);
        });
      });
      queue = result.catch(() => undefined);
      return result;
    },
    close() {
      alive = false;
      child.stdin.end();
    },
  };
}

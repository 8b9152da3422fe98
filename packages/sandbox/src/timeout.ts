import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** A process identified beyond its pid: pid plus start time, so a reused pid is never mistaken for it. */
export interface ProcessIdentity {
  pid: number;
  startTime: string;
}

/** Read a process's identity and state from /proc/<pid>/stat, or null once it is gone. */
async function procStat(pid: number): Promise<{ state: string; startTime: string } | null> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8');
    // comm (field 2) may contain spaces and parentheses: split after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', startTime: fields[19] ?? '' };
  } catch {
    return null;
  }
}

export async function processIdentity(pid: number): Promise<ProcessIdentity | null> {
  const stat = await procStat(pid);
  return stat === null ? null : { pid, startTime: stat.startTime };
}

/**
 * Wait until a process is gone (exited, or a zombie: its pid namespace has
 * then been emptied already; the kernel kills every other member before the
 * namespace's init finishes exiting).
 */
export async function waitGone(process: ProcessIdentity, limitMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const stat = await procStat(process.pid);
    if (stat === null || stat.startTime !== process.startTime || stat.state === 'Z' || stat.state === 'X') return true;
    if (Date.now() > deadline) return false;
    await sleep(1);
  }
}

/**
 * Kill a whole sandbox at once: SIGKILL to its pid-1 (the namespace's init:
 * the kernel then kills every process of the pid namespace) and to the bwrap
 * launcher we spawned (still unreaped, so its pid cannot have been reused).
 *
 * Only sound once pid-1 is known (bwrap reports it on --info-fd before it
 * lets the child go on). Killing the launcher alone is NOT enough while the
 * child is still setting up: bwrap 0.8's pid-1 arms --die-with-parent only in
 * its init loop, after all mounts, so a launcher killed a millisecond after
 * spawn orphans a pid-1 that never dies and keeps our pipes open. A sandbox
 * whose pid-1 is not known yet is stopped through its control socket
 * instead (runner.ts): its runner exits on EOF, and with it the namespace.
 */
export function killSandbox(child: ChildProcess, init: ProcessIdentity | null = null): void {
  if (init !== null) killIdentity(init);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** SIGKILL a process if it is still the one we identified (pid + start time). */
export function killIdentity(process_: ProcessIdentity): void {
  try {
    const text = readFileSync(`/proc/${process_.pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    if (fields[19] !== process_.startTime) return;
    process.kill(process_.pid, 'SIGKILL');
  } catch {
    // gone already
  }
}

/** Run `onTimeout` after `ms` unless cancelled; no timer when `ms` is undefined. */
export function startTimeout(ms: number | undefined, onTimeout: () => void): () => void {
  if (ms === undefined || !Number.isFinite(ms)) return () => undefined;
  const timer = setTimeout(onTimeout, Math.max(0, ms));
  return () => clearTimeout(timer);
}

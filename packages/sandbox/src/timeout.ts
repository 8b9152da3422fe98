import type { ChildProcess } from 'node:child_process';
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
 * Kill a whole sandbox. SIGKILL to the bwrap we spawned (still unreaped, so
 * its pid cannot have been reused); its child, the sandbox's pid-1, has
 * PDEATHSIG=SIGKILL (--die-with-parent) and takes every process of the
 * namespace with it. The caller then waits for pid-1 with `waitGone`.
 */
export function killSandbox(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** Run `onTimeout` after `ms` unless cancelled; no timer when `ms` is undefined. */
export function startTimeout(ms: number | undefined, onTimeout: () => void): () => void {
  if (ms === undefined || !Number.isFinite(ms)) return () => undefined;
  const timer = setTimeout(onTimeout, Math.max(0, ms));
  return () => clearTimeout(timer);
}

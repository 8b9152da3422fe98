import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, expect } from 'vitest';

export const WORKER = new URL('./fixtures/worker.mjs', import.meta.url).pathname;

/** Mount points below `dir` in this mount namespace. */
export function mountsBelow(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .filter((point) => point === dir || point.startsWith(`${dir}/`));
}

/**
 * A scratch directory for one test file, removed at the end; the file fails
 * if any mount is left below it.
 */
export function scratchDir(name: string): { base: string; fresh(label: string): string } {
  const base = mkdtempSync(join('/tmp', `osbuild-ts-store-${name}-`));
  let n = 0;
  afterAll(() => {
    expect(mountsBelow(base)).toEqual([]);
    rmSync(base, { recursive: true, force: true });
  });
  return {
    base,
    fresh(label) {
      const dir = join(base, `${label}-${++n}`);
      mkdirSync(dir);
      return dir;
    },
  };
}

export interface WorkerEvent {
  event: string;
  key?: string;
  t: number;
  [other: string]: unknown;
}

export interface Worker {
  child: ChildProcess;
  events: WorkerEvent[];
  /** Resolves with the first event (already seen or future) that matches. */
  waitFor(match: (event: WorkerEvent) => boolean): Promise<WorkerEvent>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

export function startWorker(task: Record<string, unknown>): Worker {
  // A process group of its own: a tool it started (mount, umount, cp) may outlive a SIGKILLed
  // worker by a few ms and still change the store; `exited` waits for those too.
  const child = spawn(process.execPath, [WORKER, JSON.stringify(task)], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  const events: WorkerEvent[] = [];
  const waiters: Array<{ match: (event: WorkerEvent) => boolean; resolve: (event: WorkerEvent) => void }> = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const event = JSON.parse(line) as WorkerEvent;
    events.push(event);
    for (const waiter of [...waiters]) {
      if (waiter.match(event)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => void groupGone(child.pid!).then(() => resolve({ code, signal, stderr }))),
  );
  return {
    child,
    events,
    exited,
    waitFor(match) {
      const seen = events.find(match);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiters.push({ match, resolve });
        void exited.then(({ code, signal, stderr: err }) =>
          reject(new Error(`worker exited (${code ?? signal}) before the awaited event: ${err}`)),
        );
      });
    },
  };
}

/** Resolves once no process of process group `pgid` is left (polling /proc; gives up after 30 s). */
async function groupGone(pgid: number): Promise<void> {
  const inGroup = () =>
    readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .some((pid) => {
        try {
          const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
          return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) === pgid;
        } catch {
          return false; // gone while we looked
        }
      });
  for (const start = Date.now(); inGroup() && Date.now() - start < 30_000; ) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** Names of the entries of a directory, sorted ([] if missing). */
export function entries(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/** A cache key for tests: hex, padded. */
export function key(label: string | number): string {
  return Buffer.from(String(label)).toString('hex').padEnd(16, '0').slice(0, 64);
}

import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { OsbuildError } from './errors.js';
import { lineSplitter, type OutputStream } from './output.js';
import { killSandbox, processIdentity, waitGone, type ProcessIdentity } from './timeout.js';

export type BwrapProcess = ChildProcessByStdio<Writable, Readable, Readable>;

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A sandbox whose Node is up and waiting for "go". */
export interface LiveSandbox {
  child: BwrapProcess;
  /** fd 3 of the sandbox: "ready" came in on it, "go" goes out on it. */
  control: Socket;
  /** The sandbox's pid-1; once it is gone, so is every process in the sandbox. */
  init: ProcessIdentity | null;
  /** Resolves when bwrap has exited and its output is drained. */
  closed: Promise<ExitStatus>;
}

export interface SpawnOptions {
  bwrap: string;
  args: string[];
  env: Record<string, string>;
  /** CapEff the sandbox must report; anything else is refused. */
  expectedCaps: bigint;
  onLine: (line: string, stream: OutputStream) => void;
  /** Last output lines, for the error when the sandbox does not come up. */
  tail: () => string[];
  label: string;
  /** Called with the child as soon as it exists (and its end), so it can be stopped while we wait. */
  onSpawn: (child: BwrapProcess, closed: Promise<ExitStatus>) => void;
  /** Called as soon as the sandbox's pid-1 is known: from then on it can be killed whole. */
  onInit?: (init: ProcessIdentity) => void;
}

/**
 * Start bwrap (fd 3: control socket pair, fd 4: bwrap's --info-fd) and wait
 * until the runner inside reports "ready" with the capability set it got.
 */
export async function spawnSandbox(options: SpawnOptions): Promise<LiveSandbox> {
  const child = spawn(options.bwrap, options.args, { env: options.env, stdio: ['pipe', 'pipe', 'pipe', 'pipe', 'pipe'] }) as BwrapProcess;
  const control = child.stdio[3] as Socket;
  const info = child.stdio[4] as Readable;
  control.on('error', () => undefined);
  child.stdin.on('error', () => undefined); // EPIPE when a stage never reads stdin

  for (const stream of ['stdout', 'stderr'] as const) {
    const splitter = lineSplitter((line) => options.onLine(line, stream));
    child[stream].on('data', (chunk: Buffer) => splitter.write(chunk));
    child[stream].on('end', () => splitter.end());
  }
  const closed = new Promise<ExitStatus>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  closed.catch(() => undefined);
  options.onSpawn(child, closed);
  const gone = closed.then(
    () => null,
    () => null,
  );

  const initPid = new Promise<number | null>((resolve) => {
    let text = '';
    info.setEncoding('utf8');
    info.on('data', (chunk: string) => (text += chunk));
    info.on('end', () => {
      try {
        resolve((JSON.parse(text) as { 'child-pid'?: number })['child-pid'] ?? null);
      } catch {
        resolve(null);
      }
    });
    info.on('error', () => resolve(null));
  });

  // bwrap writes the info before it lets its child go on, so pid-1 is known
  // before "ready" can arrive; tell the caller at once.
  const identity = initPid.then(async (pid) => {
    const found = pid === null ? null : await processIdentity(pid);
    if (found !== null) options.onInit?.(found);
    return found;
  });
  const capEff = await Promise.race([readyLine(control), gone]);
  const init = await Promise.race([identity, gone]);
  if (capEff === null) {
    const outcome = await closed.catch((error: unknown) => error);
    if (init !== null) await waitGone(init);
    const why = options.tail().slice(-5).join(' | ') || describeExit(outcome);
    throw new OsbuildError('E_SANDBOX', `the sandbox for ${options.label} did not start: ${why}`, {
      hint: 'Check that bubblewrap works on this host (bwrap --version) and that the build root is a complete tree.',
      details: { stage: options.label, output: options.tail(), exit: outcome },
    });
  }
  if (!/^[0-9a-f]+$/.test(capEff) || BigInt(`0x${capEff}`) !== options.expectedCaps) {
    killSandbox(child, init);
    await closed.catch(() => undefined);
    if (init !== null) await waitGone(init);
    throw new OsbuildError('E_SANDBOX', `bubblewrap did not apply the stage capability set (expected ${options.expectedCaps.toString(16)}, got ${capEff})`, {
      hint: 'Report this with the output of `bwrap --version`; no stage was run.',
      details: { expected: options.expectedCaps.toString(16), got: capEff },
    });
  }
  return { child, control, init, closed };
}

/** The runner's first line on fd 3: "ready <CapEff hex>". */
function readyLine(control: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const line = /^ready (\S+)\n/.exec(text);
      if (line) {
        control.off('data', onData);
        resolve(line[1] as string);
      }
    };
    control.on('data', onData);
  });
}

function describeExit(outcome: unknown): string {
  if (outcome instanceof Error) return outcome.message;
  const { code, signal } = outcome as ExitStatus;
  return signal !== null ? `bwrap was killed by ${signal}` : `bwrap exited with ${code}`;
}

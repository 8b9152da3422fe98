import { hostNodeOptions } from '@osbuild-ts/sandbox';
import { spawn } from 'node:child_process';
import { OsbuildError, type PluginRecord } from '@osbuild-ts/core';

/**
 * The engine's end of the host-service protocol (README, "Devices and
 * mounts"): a device or mount plugin runs as `node <entry>` on the host,
 * gets one JSON request line on stdin, answers one JSON line on stdout, and
 * keeps what it set up until its stdin closes; then it tears down and exits,
 * 0 when everything was released. Its stderr is relayed line by line.
 */

export const HOST_SERVICE_API_VERSION = 1;

/** Generous: attaching waits for free loop devices, detaching for the kernel to let go. */
const SETUP_TIMEOUT_MS = 120_000;
const TEARDOWN_TIMEOUT_MS = 120_000;
const TAIL = 20;

export interface HostServiceSpec {
  plugin: PluginRecord;
  /** Where the service is in the manifest, for errors: `pipelines[1].stages[2].devices.disk (org.osbuild.loopback)`. */
  label: string;
  /** Prefix of its output lines: `device/disk (org.osbuild.loopback)`. */
  prefix: string;
  onLine: (line: string) => void;
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface HostService {
  /** The reply object (never one with `error`: that is thrown). */
  reply: Record<string, unknown>;
  /** Close its stdin and wait until it has torn down; throws E_HOST_SERVICE if that failed. */
  close(): Promise<void>;
}

function failure(label: string, what: string, tail: readonly string[], cause?: unknown): OsbuildError {
  const shown = tail.slice(-TAIL);
  const output = shown.length ? `\n  its last ${shown.length} lines of output:\n${shown.map((l) => `    ${l}`).join('\n')}` : '';
  return new OsbuildError('E_HOST_SERVICE', `${label}: ${what}${output}`, { cause, details: { service: label, outputTail: shown } });
}

/** A service process that is starting (Node takes a while) and has not been asked anything yet. */
export interface LaunchedService {
  /** Send the request and wait for the reply: the service is then up. */
  open(request: Record<string, unknown>): Promise<HostService>;
  /** For a service never opened: stop it. */
  abandon(): Promise<void>;
}

/**
 * Starts the service's process at once; the request goes later (`open`).
 * The engine launches all services of a stage together, so their Node
 * start-ups overlap, and opens them one after the other.
 */
export function launchHostService(spec: HostServiceSpec): LaunchedService {
  const { plugin, label } = spec;
  // Detached: a Ctrl-C for the engine's process group must not kill the
  // service before it released its devices; it leaves when its stdin closes.
  const child = spawn(process.execPath, [...hostNodeOptions(plugin.entryPath), plugin.entryPath], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  const tail: string[] = [];
  let stderrRest = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    const lines = (stderrRest + chunk).split('\n');
    stderrRest = lines.pop() ?? '';
    for (const line of lines) {
      tail.push(line);
      if (tail.length > TAIL) tail.shift();
      spec.onLine(`${spec.prefix}: ${line}`);
    }
  });
  const exited = new Promise<Exit>((resolve) => {
    child.on('close', (code, signal) => {
      if (stderrRest !== '') {
        tail.push(stderrRest);
        spec.onLine(`${spec.prefix}: ${stderrRest}`);
        stderrRest = '';
      }
      resolve({ code, signal });
    });
  });
  const spawned = new Promise<void>((resolve, reject) => {
    child.on('spawn', resolve);
    child.on('error', reject);
  });
  child.stdin.on('error', () => undefined); // a service that died early: reported through its exit
  spawned.catch(() => undefined); // reported by open()
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const status = (e: Exit) => (e.signal ? `was killed by ${e.signal}` : `exited with status ${e.code}`);

  /** Reads the reply line; on anything but a reply the process is stopped first. */
  const replyLine = async (): Promise<string> => {
    try {
      return await new Promise<string>((resolve, reject) => {
        let stdout = '';
        const timer = setTimeout(() => reject(failure(label, `gave no reply within ${SETUP_TIMEOUT_MS / 1000} s`, tail)), SETUP_TIMEOUT_MS);
        child.stdout.setEncoding('utf8');
        child.stdout.on('data', (chunk: string) => {
          stdout += chunk;
          const at = stdout.indexOf('\n');
          if (at < 0) return;
          clearTimeout(timer);
          resolve(stdout.slice(0, at));
        });
        void exited.then((e) => {
          clearTimeout(timer);
          reject(failure(label, `${status(e)} before it replied`, tail));
        });
      });
    } catch (error) {
      kill();
      await exited;
      throw error;
    }
  };

  /** After a reply that is not a usable one: the service tears down what it made and exits. */
  const refused = async (what: string): Promise<never> => {
    child.stdin.end();
    await exited;
    throw failure(label, what, tail);
  };

  const open = async (request: Record<string, unknown>): Promise<HostService> => {
    try {
      await spawned;
    } catch (cause) {
      throw failure(label, `could not start ${plugin.entryPath}: ${(cause as Error).message}`, [], cause);
    }
    child.stdin.write(`${JSON.stringify({ apiVersion: HOST_SERVICE_API_VERSION, ...request })}\n`);
    const line = await replyLine();
    let reply: unknown;
    try {
      reply = JSON.parse(line);
    } catch {
      return refused(`replied with something that is not JSON: ${line.slice(0, 200)}`);
    }
    if (typeof reply !== 'object' || reply === null || Array.isArray(reply)) return refused(`replied ${line.slice(0, 200)}, not a JSON object`);
    if ('error' in reply) return refused(String((reply as { error: unknown }).error));

    let closing: Promise<void> | null = null;
    return {
      reply: reply as Record<string, unknown>,
      close: () =>
        (closing ??= (async () => {
          child.stdin.end();
          let timer: NodeJS.Timeout | undefined;
          const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), TEARDOWN_TIMEOUT_MS)));
          const outcome = await Promise.race([exited, timedOut]);
          clearTimeout(timer);
          if (outcome === 'timeout') {
            kill();
            await exited;
            throw failure(label, `did not finish tearing down within ${TEARDOWN_TIMEOUT_MS / 1000} s and was killed`, tail);
          }
          if (outcome.code !== 0) throw failure(label, `teardown failed: it ${status(outcome)}`, tail);
        })()),
    };
  };

  return {
    open,
    async abandon() {
      kill();
      await spawned.then(() => exited).catch(() => undefined);
    },
  };
}

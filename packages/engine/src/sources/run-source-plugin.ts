/**
 * Runs one source plugin on the host (sources need the network, so they are
 * not sandboxed): `node <entry>` with the request on stdin, protocol
 * messages as JSON lines on stdout, anything else is log output.
 */
import { hostNodeOptions } from '@osbuild-ts/sandbox';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { PluginRecord } from '@osbuild-ts/core';
import type { ItemResult } from './item-result.js';

export interface SourceRequest {
  apiVersion: 1;
  items: Record<string, unknown>;
  options: unknown;
  overrides: Record<string, unknown>;
  cache: string;
  tmp: string;
  parallel: number;
  offline: boolean;
}

/** A plugin's `item` message: the item's outcome, as the run's result reports it. */
export type PluginItemMessage = ItemResult;

export interface PluginHandlers {
  progress(checksum: string, bytes: number, total: number | undefined): void;
  item(message: PluginItemMessage): void;
  log(line: string): void;
}

export interface PluginRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** `error` messages: the source failed as a whole. */
  errors: string[];
  /** The last log lines, for error messages. */
  tail: string[];
}

const TAIL_LINES = 20;

export async function runSourcePlugin(
  plugin: PluginRecord,
  request: SourceRequest,
  handlers: PluginHandlers,
  signal?: AbortSignal,
): Promise<PluginRun> {
  const child = spawn(process.execPath, [...hostNodeOptions(plugin.entryPath), plugin.entryPath], {
    cwd: request.tmp,
    stdio: ['pipe', 'pipe', 'pipe'],
    ...(signal ? { signal, killSignal: 'SIGTERM' as const } : {}),
  });
  const errors: string[] = [];
  const tail: string[] = [];
  const log = (line: string) => {
    if (line === '') return;
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
    handlers.log(line);
  };
  const onLine = (line: string) => {
    const message = parseMessage(line);
    if (message === null) return log(line);
    if (message['type'] === 'progress' && typeof message['checksum'] === 'string' && typeof message['bytes'] === 'number') {
      handlers.progress(message['checksum'], message['bytes'], typeof message['total'] === 'number' ? message['total'] : undefined);
    } else if (message['type'] === 'item' && typeof message['checksum'] === 'string' && typeof message['success'] === 'boolean') {
      handlers.item(message as unknown as PluginItemMessage);
    } else if (message['type'] === 'error' && typeof message['message'] === 'string') {
      errors.push(message['message']);
      log(message['message']);
    } else {
      log(line);
    }
  };
  createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', onLine);
  createInterface({ input: child.stderr, crlfDelay: Infinity }).on('line', log);
  child.stdin.on('error', () => undefined); // a plugin that exits without reading: its status tells
  child.stdin.end(JSON.stringify(request));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    // 'close' waits for both pipes to end, so every line has been handled.
    child.on('close', (exitCode, exitSignal) => resolve({ exitCode, signal: exitSignal, errors, tail }));
  });
}

function parseMessage(line: string): Record<string, unknown> | null {
  if (!line.startsWith('{')) return null;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as Record<string, unknown>)['type'] === 'string'
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

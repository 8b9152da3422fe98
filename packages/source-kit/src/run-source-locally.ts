import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ItemMessage, SourceMessage, SourceRequest } from './protocol.js';

export interface LocalSourceRun {
  /** The source's entry module. */
  entry: string;
  items: Record<string, unknown>;
  options?: Record<string, unknown>;
  overrides?: Record<string, unknown>;
  /** Default: a fresh directory under the system tmpdir. */
  cache?: string;
  parallel?: number;
  offline?: boolean;
  env?: Record<string, string>;
}

export interface LocalSourceResult {
  exitCode: number | null;
  messages: SourceMessage[];
  /** The `item` messages by checksum. */
  items: Map<string, ItemMessage>;
  /** Every line that was not a protocol message (stdout and stderr). */
  log: string[];
  cache: string;
}

/**
 * Runs a source entry the way the engine does (one request on stdin, JSON
 * lines back), without a store: for a source plugin's own tests.
 */
export async function runSourceLocally(run: LocalSourceRun): Promise<LocalSourceResult> {
  const cache = run.cache ?? mkdtempSync(join(tmpdir(), 'osbuild-source-cache-'));
  mkdirSync(cache, { recursive: true });
  const tmp = mkdtempSync(join(cache, '.tmp-'));
  const request: SourceRequest = {
    apiVersion: 1,
    items: run.items,
    options: run.options ?? {},
    overrides: run.overrides ?? {},
    cache,
    tmp,
    parallel: run.parallel ?? 4,
    offline: run.offline ?? false,
  };
  const child = spawn(process.execPath, [run.entry], { env: { ...process.env, ...run.env }, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.end(JSON.stringify(request));
  const messages: SourceMessage[] = [];
  const items = new Map<string, ItemMessage>();
  const log: string[] = [];
  const take = (line: string) => {
    const message = parseMessage(line);
    if (message === null) {
      if (line !== '') log.push(line);
      return;
    }
    messages.push(message);
    if (message.type === 'item') items.set(message.checksum, message);
  };
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    for (const stream of [child.stdout, child.stderr]) {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop()!;
        lines.forEach(take);
      });
      // 'close' of the child comes after both streams ended.
      stream.on('end', () => rest !== '' && take(rest));
    }
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
  return { exitCode, messages, items, log, cache };
}

/** A protocol message, or null for a log line. */
export function parseMessage(line: string): SourceMessage | null {
  if (!line.startsWith('{')) return null;
  try {
    const value = JSON.parse(line) as SourceMessage;
    return value !== null && typeof value === 'object' && ['progress', 'item', 'error'].includes(value.type) ? value : null;
  } catch {
    return null;
  }
}

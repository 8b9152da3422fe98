/**
 * Fetches a small document that no checksum names — a mirror list, a
 * metalink — with the same transfers, proxy, timeouts and passes as items.
 * Its content is trusted only as far as the caller checks it.
 */
import { randomBytes } from 'node:crypto';
import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Agents } from './agents.js';
import type { DownloadOverrides } from './overrides.js';
import { newPartialFile } from './partial-file.js';
import { transfer } from './transfer.js';
import { asTransferError, transferError, type TransferError } from './transfer-error.js';

export interface DocumentContext {
  overrides: DownloadOverrides;
  agents: Agents;
  userAgent: string;
  /** A scratch directory for the bytes while they arrive. */
  tmp: string;
  insecure?: boolean;
  /** Refuse documents larger than this (default 64 MiB). */
  maxBytes?: number;
}

export async function fetchDocument(url: string, ctx: DocumentContext): Promise<Buffer> {
  const maxBytes = ctx.maxBytes ?? 64 << 20;
  const partial = newPartialFile(join(ctx.tmp, `.document-${randomBytes(6).toString('hex')}`), 'sha256');
  const transferContext = {
    overrides: ctx.overrides,
    insecure: ctx.insecure === true || ctx.overrides.insecure,
    agents: ctx.agents,
    userAgent: ctx.userAgent,
    onBytes(bytes: number) {
      if (bytes > maxBytes) throw transferError(`${url}: larger than ${maxBytes} bytes`, true);
    },
  };
  let last: TransferError | undefined;
  try {
    for (let round = 0; round < ctx.overrides.rounds; round++) {
      if (round > 0) await sleep(Math.min(ctx.overrides.backoff.max, ctx.overrides.backoff.initial * 2 ** (round - 1)) * 1000);
      try {
        await transfer(url, partial, transferContext);
        return await readFile(partial.path);
      } catch (error) {
        const failure = asTransferError(error);
        last = failure;
        if (failure.permanent) break;
      }
    }
    // Permanent when the last failure was (a 404 stays a 404), so callers can tell whether to ask again later.
    throw transferError(`cannot fetch ${url}: ${last?.message ?? 'no attempt made'}`, last?.permanent ?? true, last, last?.status);
  } finally {
    await unlink(partial.path).catch(() => undefined);
  }
}

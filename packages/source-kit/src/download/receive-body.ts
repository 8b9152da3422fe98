/**
 * Appends a response body to an item's partial file, hashing as it goes.
 *
 * Writes are synchronous, in batches of up to WRITE_BATCH bytes: the plugin
 * is a process of its own and its files go to the page cache, so a write
 * takes microseconds — handing each one to libuv's thread pool and back
 * through a promise cost more than the write itself on a two-core machine
 * (and a pool thread competes with the main thread for the second core).
 * curl writes the same way. A batch is hashed right after it is written,
 * while it is still in the CPU's cache; `partial` counts only bytes that
 * are written, so it always describes the file and a broken transfer can be
 * resumed from `partial.bytes` without reading anything back.
 */
import { closeSync, ftruncateSync, openSync, writevSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { PartialFile } from './partial-file.js';
import type { SpeedWatch } from './speed-watch.js';
import { asTransferError, transferError } from './transfer-error.js';

export const WRITE_BATCH = 1 << 20;

export interface BodyProgress {
  /** Bytes of the item so far, and its size when known; may throw to abort the transfer. */
  onBytes(bytes: number, total: number | undefined): void;
}

export async function receiveBody(body: Readable, partial: PartialFile, total: number | undefined, progress: BodyProgress, watch: SpeedWatch | null): Promise<void> {
  let fd: number;
  try {
    fd = openSync(partial.path, partial.bytes > 0 ? 'r+' : 'w');
    if (partial.bytes > 0) ftruncateSync(fd, partial.bytes);
  } catch (error) {
    body.destroy();
    throw transferError(`cannot write ${partial.path}: ${(error as Error).message}`, true, error);
  }
  partial.pieces++;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = () => {
    if (pendingBytes === 0) return;
    let written: number;
    try {
      written = writevSync(fd, pending, partial.bytes);
    } catch (error) {
      throw transferError(`cannot write ${partial.path}: ${(error as Error).message}`, true, error);
    }
    if (written !== pendingBytes) throw transferError(`cannot write ${partial.path}: short write (${written} of ${pendingBytes} bytes)`, true);
    for (const chunk of pending) partial.hash.update(chunk);
    partial.bytes += pendingBytes;
    pending = [];
    pendingBytes = 0;
  };

  try {
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (error?: unknown) => {
        if (settled) return;
        settled = true;
        // What arrived before a break is valid and resumable: keep it.
        try {
          flush();
        } catch (writeError) {
          error ??= writeError;
        }
        if (error === undefined) resolve();
        else reject(asTransferError(error));
      };
      body.on('data', (chunk: Buffer) => {
        if (settled) return;
        try {
          pending.push(chunk);
          pendingBytes += chunk.length;
          watch?.add(chunk.length);
          progress.onBytes(partial.bytes + pendingBytes, total);
          if (pendingBytes >= WRITE_BATCH) flush();
        } catch (error) {
          body.destroy();
          finish(error);
        }
      });
      body.once('end', () => finish());
      body.once('error', (error) => finish(error));
      // A body whose connection went away without an error or an end.
      body.once('close', () => finish(body.readableEnded ? undefined : new Error('the connection closed before the end of the body')));
      // A response whose connection broke while the caller was still busy (an await between the
      // headers and here) emitted its 'close' to nobody, and never will again: a wait on it would
      // last forever, out of reach of the speed watch too (destroying it again emits nothing).
      if (body.destroyed) finish(body.readableEnded ? undefined : (body.errored ?? new Error('the connection closed before the end of the body')));
    });
  } finally {
    closeSync(fd);
  }
  if (total !== undefined && partial.bytes !== total) {
    throw transferError(`transfer closed with ${total - partial.bytes} bytes remaining`, false);
  }
}

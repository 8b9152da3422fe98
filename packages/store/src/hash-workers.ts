/**
 * The plain sha256 (content-digest.ts, form 'bytes') of many files, taken
 * in worker threads with synchronous reads. For a layer of thousands of
 * small files (an untarred OS tree), the async way costs four thread-pool
 * round trips and promise turns per file: on the 600 MB Debian tree, 1.25 s
 * of CPU against 0.57 s for the same open/read/close/hash done synchronously
 * (bench/README.md). Synchronous reads must not block the main thread (a
 * remote-cache pull streams beside its imports), so they run in workers,
 * which also spreads the hashing over two cores when there are two.
 *
 * The workers are started from inline code (`eval`), so the CLI's one-file
 * bundle needs no second file.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** Below this many files the async way is cheaper than starting a worker. */
export const WORKER_MIN_FILES = 512;

const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { openSync, readSync, closeSync, constants } = require('node:fs');
const { join } = require('node:path');
const { dir, paths } = workerData;
const buffer = Buffer.allocUnsafe(1 << 20);
const digests = [];
let failed = null;
for (const path of paths) {
  let fd;
  try {
    fd = openSync(join(dir, path), constants.O_RDONLY | constants.O_NOATIME | constants.O_NOFOLLOW);
  } catch (error) {
    failed = { path, code: error.code || String(error) };
    break;
  }
  try {
    const hash = createHash('sha256');
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      hash.update(buffer.subarray(0, n));
    }
    digests.push(hash.digest('hex'));
  } catch (error) {
    failed = { path, code: error.code || String(error) };
    break;
  } finally {
    closeSync(fd);
  }
}
parentPort.postMessage({ digests, failed });
`;

export interface HashFailure {
  readonly path: string;
  readonly code: string;
}

/** sha256 (hex) of each of `paths` (relative to `dir`), in order; or the first file that could not be read. */
export async function sha256InWorkers(dir: string, paths: readonly string[]): Promise<{ digests: Map<string, string>; failed: HashFailure | null }> {
  const count = Math.max(1, Math.min(2, availableParallelism()));
  // Interleaved shares: neighbours in a tree are alike in size.
  const shares = Array.from({ length: count }, (_, k) => paths.filter((_, i) => i % count === k));
  const results = await Promise.all(shares.map((share) => runWorker(dir, share)));
  const digests = new Map<string, string>();
  let failed: HashFailure | null = null;
  results.forEach((result, k) => {
    result.digests.forEach((digest, i) => digests.set(shares[k]![i]!, digest));
    failed ??= result.failed;
  });
  return { digests, failed };
}

function runWorker(dir: string, paths: readonly string[]): Promise<{ digests: string[]; failed: HashFailure | null }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_CODE, { eval: true, workerData: { dir, paths } });
    let answer: { digests: string[]; failed: HashFailure | null } | undefined;
    worker.once('message', (message: { digests: string[]; failed: HashFailure | null }) => (answer = message));
    worker.once('error', reject);
    worker.once('exit', (code) => (answer !== undefined ? resolve(answer) : reject(new Error(`the hashing worker exited with ${code} before it answered`))));
  });
}

import { createHash, type Hash } from 'node:crypto';
import { truncate } from 'node:fs/promises';

/**
 * The bytes of one item received so far, in its temporary file, and the hash
 * over exactly those bytes: both advance only after a write succeeded, so an
 * interrupted transfer can be resumed from `bytes` without re-reading the file.
 */
export interface PartialFile {
  readonly path: string;
  readonly algorithm: string;
  hash: Hash;
  bytes: number;
  /** Transfers that wrote into the file since it was last emptied (>1: it was resumed). */
  pieces: number;
  /** A strong validator of the response the bytes came from, for `If-Range` on the same URL. */
  validator: { url: string; value: string } | undefined;
}

export function newPartialFile(path: string, algorithm: string): PartialFile {
  return { path, algorithm, hash: createHash(algorithm), bytes: 0, pieces: 0, validator: undefined };
}

export async function emptyPartialFile(partial: PartialFile): Promise<void> {
  await truncate(partial.path, 0).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  partial.hash = createHash(partial.algorithm);
  partial.bytes = 0;
  partial.pieces = 0;
  partial.validator = undefined;
}

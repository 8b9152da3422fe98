/**
 * Checksums as osbuild writes them: `<algo>:<hex>`, hashed over the raw
 * bytes. Parsing is strict (the algorithm's exact digest length, lower-case
 * hex) because the checksum becomes a file name in the source cache.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export const CHECKSUM_ALGORITHMS = ['md5', 'sha1', 'sha256', 'sha384', 'sha512'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

const HEX_LENGTH: Record<ChecksumAlgorithm, number> = { md5: 32, sha1: 40, sha256: 64, sha384: 96, sha512: 128 };

export interface ParsedChecksum {
  algorithm: ChecksumAlgorithm;
  hex: string;
}

/** The parts of a checksum, or a sentence saying why it is not one. */
export function parseChecksum(checksum: string): ParsedChecksum | { error: string } {
  const match = /^([a-z0-9]+):([0-9a-f]*)$/.exec(checksum);
  const algorithm = match?.[1] as ChecksumAlgorithm | undefined;
  if (match === null || algorithm === undefined || !(CHECKSUM_ALGORITHMS as readonly string[]).includes(algorithm)) {
    return { error: `not a checksum: ${JSON.stringify(checksum)} (expected <algo>:<hex>, algo one of ${CHECKSUM_ALGORITHMS.join(' ')})` };
  }
  const hex = match[2]!;
  if (hex.length !== HEX_LENGTH[algorithm]) {
    return { error: `not a checksum: ${JSON.stringify(checksum)} (${algorithm} has ${HEX_LENGTH[algorithm]} lower-case hex digits)` };
  }
  return { algorithm, hex };
}

/** Like parseChecksum, but throws. */
export function checksumParts(checksum: string): ParsedChecksum {
  const parsed = parseChecksum(checksum);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed;
}

/** A fresh hash for the checksum's algorithm, to feed while bytes arrive. */
export function createChecksumHash(checksum: string): Hash {
  return createHash(checksumParts(checksum).algorithm);
}

/** `<algo>:<hex>` of a finished hash. */
export function digestChecksum(algorithm: string, hash: Hash): string {
  return `${algorithm}:${hash.digest('hex')}`;
}

export async function hashFile(path: string, algorithm: ChecksumAlgorithm): Promise<string> {
  const hash = createHash(algorithm);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return `${algorithm}:${hash.digest('hex')}`;
}

export interface Verification {
  ok: boolean;
  expected: string;
  /** `<algo>:<hex>` of what the file holds. */
  actual: string;
}

/** Hashes the file with the checksum's algorithm and compares. */
export async function verifyFile(path: string, checksum: string): Promise<Verification> {
  const { algorithm } = checksumParts(checksum);
  const actual = await hashFile(path, algorithm);
  return { ok: actual === checksum, expected: checksum, actual };
}

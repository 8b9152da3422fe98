import { createHash } from 'node:crypto';

/**
 * A UUID (version 4 layout) made from `seed`: the file system's UUID is
 * part of its bytes, and mkfs.erofs would pick a random one.
 */
export function stableUuid(seed: string): string {
  const h = createHash('sha256').update(`osbuild-ts erofs ${seed}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x40;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

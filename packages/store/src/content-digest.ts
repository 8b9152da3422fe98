/**
 * What a layer manifest records as a regular file's content.
 *
 *  - Files under BLOCKWISE_MIN_BYTES: the sha256 of their bytes, in hex.
 *  - Larger files (disk images, mostly holes): `blocks:` and the sha256 of
 *    the sha256 digests of each 1 MiB block, one after another.
 *
 * Both are defined by the bytes alone: a copy that allocates the zeros, or
 * the same layer unpacked from a remote cache, gives the same digest. The
 * block form exists so that a block the file system reports as a hole
 * counts as zeros without being read or hashed: a 4 GiB image holding
 * 600 MB of data costs 600 MB of hashing at every commit of a device stage,
 * not 4 GiB. Manifests made before the block form keep the plain sha256 of
 * large files; verifying a layer uses the form its manifest recorded.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';

export const BLOCKWISE_MIN_BYTES = 64 * 2 ** 20;
const BLOCK = 2 ** 20;
const BLOCKS_PREFIX = 'blocks:';
const ZEROS = Buffer.alloc(BLOCK);
const ZERO_BLOCK_DIGEST = createHash('sha256').update(ZEROS).digest();

export type DigestForm = 'bytes' | 'blocks';

/** The form a recorded digest is in. */
export const formOf = (recorded: string): DigestForm => (recorded.startsWith(BLOCKS_PREFIX) ? 'blocks' : 'bytes');

/** The form a new manifest records for a file of `size` bytes. */
export const formFor = (size: number): DigestForm => (size >= BLOCKWISE_MIN_BYTES ? 'blocks' : 'bytes');

/** The digest of the open file `handle` (`path`, for the hole map) of `size` bytes, in `form`. */
export async function digestFile(handle: FileHandle, path: string, size: number, form: DigestForm, buffer: Buffer): Promise<string> {
  if (form === 'bytes') {
    const hash = createHash('sha256');
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
    return hash.digest('hex');
  }
  const data = await dataRegions(path, size);
  const outer = createHash('sha256');
  let region = 0;
  for (let start = 0; start < size; start += BLOCK) {
    const length = Math.min(BLOCK, size - start);
    while (region < data.length && data[region]![1] <= start) region++;
    const holeOnly = region === data.length || data[region]![0] >= start + length;
    if (holeOnly) {
      outer.update(length === BLOCK ? ZERO_BLOCK_DIGEST : createHash('sha256').update(ZEROS.subarray(0, length)).digest());
      continue;
    }
    const block = await readFully(handle, buffer, start, length);
    outer.update(length === BLOCK && block.equals(ZEROS) ? ZERO_BLOCK_DIGEST : createHash('sha256').update(block).digest());
  }
  return BLOCKS_PREFIX + outer.digest('hex');
}

async function readFully(handle: FileHandle, buffer: Buffer, position: number, length: number): Promise<Buffer> {
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    // The file shrank under us: what is missing hashes as missing, so the digest differs.
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

/**
 * [start, end) byte ranges that may hold data, from SEEK_DATA/SEEK_HOLE
 * (`xfs_io`'s seek, which every file system answers, dirty pages included;
 * Node has no lseek). Anything else is a hole. Without xfs_io, or when it
 * fails, the whole file counts as data: slower, the same digest.
 */
export async function dataRegions(path: string, size: number): Promise<[number, number][]> {
  return (await seekDataRegions(path, size)) ?? [[0, size]];
}

/** dataRegions, or null when xfs_io cannot tell (not installed, or it failed). */
export async function seekDataRegions(path: string, size: number): Promise<[number, number][] | null> {
  const whole: [number, number][] = [[0, size]];
  const text = await new Promise<string | null>((resolve) => {
    const child = spawn('xfs_io', ['-r', '-c', 'seek -a -r 0', '--', path], { stdio: ['ignore', 'pipe', 'ignore'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.on('error', () => resolve(null));
    child.on('close', (code) => resolve(code === 0 ? Buffer.concat(out).toString('utf8') : null));
  });
  if (text === null) return null;
  const marks: [string, number][] = [];
  for (const line of text.split('\n')) {
    const m = /^(DATA|HOLE)\s+(\d+)\s*$/.exec(line);
    if (m !== null) marks.push([m[1]!, Number(m[2])]);
  }
  if (marks.length === 0) return whole;
  const regions: [number, number][] = [];
  for (let i = 0; i < marks.length; i++) {
    const [kind, offset] = marks[i]!;
    if (kind === 'DATA') regions.push([offset, i + 1 < marks.length ? marks[i + 1]![1] : size]);
  }
  return regions;
}

/**
 * Zero-filled blocks of large files become holes when a layer is committed.
 * A stage that writes a disk image through a loop device (mkfs, copy into a
 * mount, a boot loader) gets its own copy of the image in its layer (overlay
 * copies a file up whole when it is opened for writing), and file systems
 * zero what they set up (journals, tables): each device stage's layer then
 * holds the image's data plus megabytes of zeros. `fallocate --dig-holes`
 * turns those into holes — the bytes a reader sees are the same, so the
 * layer's content (and its manifest digests) do not change, only the blocks
 * it takes: the same thing `cp -a` does to the image when it is exported.
 *
 * Punching holes moves the file's mtime; it is set back to the nanosecond
 * (atime too), before the layer is sealed. ctime moves, as for anything done
 * before the seal. On a file system with reflinks (xfs, btrfs) overlay's
 * copy-up is a clone and shares the image's blocks already; digging holes
 * there only unshares zeros into holes.
 *
 * The zeros are found here, not by `fallocate --dig-holes`: that drops
 * every range it read from the page cache (POSIX_FADV_DONTNEED, as it goes),
 * so the commit's digest, which reads the image next, and the qcow2 stage
 * after it read the image back from disk (the Debian qcow2 manifest's image:
 * 628 MB of data, 3.5 GB cached before, 150 MB after; --dig-holes found 4 KiB
 * to punch in it). Here only the data regions are read (SEEK_DATA, as the
 * digest does), 1 MiB at a time, compared against zeros block by block (the
 * file system's block size, as --dig-holes), and the zero runs are punched
 * by one `xfs_io` per 1000 runs: about the same CPU (0.2–0.4 s on that
 * image), nothing evicted. Without xfs_io, `fallocate --dig-holes` does it.
 */
import { execFile } from 'node:child_process';
import { constants, lstatSync, type BigIntStats } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { seekDataRegions } from './content-digest.js';
import { storeError } from './errors.js';
import { runTool } from './files.js';
import type { ScannedEntry } from './seal.js';
import { decimalSeconds } from './decimal-seconds.js';

/** Files this large (apparent size) are looked at. */
export const SPARSIFY_MIN_BYTES = 16 * 2 ** 20;
/** …when at least this much of them is allocated. */
const MIN_ALLOCATED = 2 ** 20;

/** What digging holes changed in one file: its stat before and after (blocks, ctime). */
export interface Sparsified {
  /** Relative to the layer root. */
  readonly path: string;
  readonly before: BigIntStats;
  readonly after: BigIntStats;
}

/**
 * Digs holes in the large regular files of a finished layer. Returns the
 * files whose inode changed (blocks, or the ctime that setting the times
 * back moves); a file where `fallocate` found nothing to punch is left as
 * it was and not listed. Nothing else in the layer changes: no entry is
 * added, removed or renamed (the directories' times stay), and only files
 * with one link are touched, so a caller holding the layer's entries needs
 * to re-read only the listed files, not walk the layer again.
 */
export async function sparsifyLayer(dir: string, entries: readonly ScannedEntry[]): Promise<Sparsified[]> {
  const changed: Sparsified[] = [];
  for (const entry of entries) {
    if (entry.type !== 'f') continue;
    const size = Number(entry.stable.split(' ')[3]);
    if (!(size >= SPARSIFY_MIN_BYTES)) continue;
    const path = join(dir, entry.path);
    const before = lstatSync(path, { bigint: true });
    if (!before.isFile() || before.nlink !== 1n || before.blocks * 512n < BigInt(MIN_ALLOCATED)) continue;
    // With xfs_io the zero runs are found here; without it, `fallocate
    // --dig-holes` digs them, and only in a file that has a zero block: a
    // dense file (a compressed initrd, a kernel module) would be read for
    // nothing, and its atime moved and set back (a fork, and a new ctime).
    const zeros = await zeroRuns(path, Number(before.size), Number(before.blksize));
    if (zeros === null) {
      // The whole file, up to its first zero block (a hole or unwritten extent reads as zeros too).
      if ((await scanZeros(path, Number(before.size), Number(before.blksize), [[0, Number(before.size)]], true)).length === 0) continue;
      await runTool('fallocate', ['--dig-holes', '--', path], { reason: 'layout' });
    }
    // Zeroed ranges a loop device turned into fallocate(ZERO_RANGE) (mke2fs's
    // journal) are allocated "unwritten" extents: SEEK_DATA reports them as
    // holes, so neither scan reads them. They read as zeros: punch them too.
    const unwritten = await unwrittenExtents(path);
    if (zeros !== null) {
      if (zeros.length === 0 && unwritten.length === 0) continue; // read without moving the atime: nothing changed
      await punchHoles(path, [...zeros, ...unwritten]);
    } else {
      for (const [offset, length] of unwritten) {
        await runTool('fallocate', ['--punch-hole', '--offset', String(offset), '--length', String(length), '--', path], { reason: 'layout' });
      }
    }
    const after = lstatSync(path, { bigint: true });
    if (after.atimeNs !== before.atimeNs) await runTool('touch', ['-a', '-h', '-d', `@${decimalSeconds(before.atimeNs)}`, '--', path]);
    if (after.mtimeNs !== before.mtimeNs) await runTool('touch', ['-m', '-h', '-d', `@${decimalSeconds(before.mtimeNs)}`, '--', path]);
    const final = lstatSync(path, { bigint: true });
    if (final.ctimeNs !== before.ctimeNs || final.blocks !== before.blocks || final.ino !== before.ino) changed.push({ path: entry.path, before, after: final });
  }
  return changed;
}

/** Byte ranges of a file's unwritten extents (filefrag -v), merged; none if there are too many to bother. */
async function unwrittenExtents(path: string): Promise<[number, number][]> {
  let text: string;
  try {
    // -s: sync first. An extent whose data still sits dirty in the page cache
    // (a loop device wrote it; zeroRuns reads it from there) is mapped
    // "unwritten" until written back: punching it would lose that data.
    text = await runTool('filefrag', ['-s', '-v', '--', path]);
  } catch {
    return []; // no FIEMAP here: nothing to punch
  }
  const block = Number(/blocks of (\d+) bytes/.exec(text)?.[1] ?? NaN);
  if (!Number.isInteger(block) || block <= 0) return [];
  const ranges: [number, number][] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*\d+:\s*(\d+)\.\.\s*(\d+):.*unwritten/.exec(line);
    if (m === null) continue;
    const start = Number(m[1]) * block;
    const end = (Number(m[2]) + 1) * block;
    const last = ranges.at(-1);
    if (last !== undefined && last[0] + last[1] === start) last[1] += end - start;
    else ranges.push([start, end - start]);
  }
  return ranges.length > 64 ? [] : ranges;
}

const SCAN_BYTES = 2 ** 20;
const ZEROS = Buffer.alloc(SCAN_BYTES);
const PUNCHES_PER_CALL = 1000;
const execFileP = promisify(execFile);

/**
 * [offset, length] runs of whole zero-filled blocks (`block` bytes; the last
 * one may end at the end of the file) in the file's data regions, merged;
 * null when the data regions are unknown (no xfs_io).
 */
export async function zeroRuns(path: string, size: number, block: number): Promise<[number, number][] | null> {
  const regions = await seekDataRegions(path, size);
  return regions === null ? null : scanZeros(path, size, block, regions, false);
}

/**
 * The zero runs of `regions` (see zeroRuns); with `first`, it stops at the
 * first zero block (enough to know that `fallocate --dig-holes` has work),
 * and an unreadable file counts as having one (fallocate then says what is
 * wrong).
 */
async function scanZeros(path: string, size: number, block: number, regions: readonly [number, number][], first: boolean): Promise<[number, number][]> {
  if (!(block > 0 && block <= SCAN_BYTES && SCAN_BYTES % block === 0)) block = 4096;
  const runs: [number, number][] = [];
  const zero = (start: number, end: number) => {
    const last = runs.at(-1);
    if (last !== undefined && last[0] + last[1] === start) last[1] += end - start;
    else runs.push([start, end - start]);
  };
  // O_NOATIME: a file found to hold no zeros is left exactly as it was (root owns the layer's files; else without it).
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOATIME | constants.O_NOFOLLOW).catch(() => open(path, 'r'));
  } catch (error) {
    if (!first) throw error;
    return [[0, 0]];
  }
  const buffer = Buffer.allocUnsafe(SCAN_BYTES);
  try {
    for (const [from, to] of regions) {
      // Whole blocks: SEEK_DATA answers in blocks, but round to be sure.
      let position = Math.floor(from / block) * block;
      const end = Math.min(Math.ceil(to / block) * block, size);
      while (position < end) {
        let filled = 0;
        const want = Math.min(SCAN_BYTES, end - position);
        while (filled < want) {
          const { bytesRead } = await handle.read(buffer, filled, want - filled, position + filled);
          if (bytesRead === 0) break;
          filled += bytesRead;
        }
        if (filled === 0) break; // the file shrank: nothing more to look at
        if (buffer.compare(ZEROS, 0, filled, 0, filled) === 0) zero(position, position + filled);
        else {
          for (let offset = 0; offset < filled; offset += block) {
            const length = Math.min(block, filled - offset);
            if (buffer.compare(ZEROS, 0, length, offset, offset + length) === 0) zero(position + offset, position + offset + length);
          }
        }
        if (first && runs.length > 0) return runs;
        position += filled;
      }
    }
  } finally {
    await handle.close();
  }
  return runs;
}

/** Punches [offset, length] ranges (fallocate PUNCH_HOLE, size kept) with one xfs_io per batch. */
async function punchHoles(path: string, ranges: readonly [number, number][]): Promise<void> {
  for (let i = 0; i < ranges.length; i += PUNCHES_PER_CALL) {
    const commands = ranges.slice(i, i + PUNCHES_PER_CALL).flatMap(([offset, length]) => ['-c', `fpunch ${offset} ${length}`]);
    // xfs_io exits 0 when a command fails; it says so on stderr.
    let stderr: string;
    try {
      ({ stderr } = await execFileP('xfs_io', [...commands, '--', path], { maxBuffer: 16 * 2 ** 20 }));
    } catch (error) {
      stderr = (error as { stderr?: string }).stderr ?? (error as Error).message;
    }
    if (stderr.trim() !== '') {
      throw storeError('layout', `xfs_io fpunch on ${path} failed: ${stderr.trim()}`, { details: { command: 'xfs_io', args: commands, stderr } });
    }
  }
}

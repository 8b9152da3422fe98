import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A package's content hash (fingerprint.ts hashPackage), persisted with a
 * stat stamp of every path it looked at: package.json, each directory it
 * listed, each `files` entry (present or not), each file it read. A later
 * process reuses the hash while every stamp still holds, which costs one
 * lstat per path instead of reading every byte of the package (and of the
 * linked packages it depends on) at each build.
 *
 * A stamp is inode, size, mode, mtime and ctime in nanoseconds. Changing a
 * file's bytes, renaming over it, or adding/removing an entry of a listed
 * directory changes one of them, and ctime cannot be set back from user
 * space. File systems keep times at a coarse clock tick, so a file changed
 * twice within one tick could keep its stamp: a hash whose stamps are that
 * recent is not persisted (git's "racily clean" rule), it is recomputed next time.
 */

/** Relative path → stamp, filled while hashing (each taken before its path is read). */
export type Stamps = Map<string, string>;

const FORMAT = 'osbuild-ts.package-hash.1';
/** Newer than this, a stamp could still change within its clock tick. */
const RACY_NS = 2_000_000_000n;

interface HashFile {
  format: string;
  packageDir: string;
  hash: string;
  stamps: [string, string][];
}

export function stampOf(file: string): string {
  const st = lstatSync(file, { bigint: true, throwIfNoEntry: false });
  if (st === undefined) return 'missing';
  return `${st.ino}:${st.size}:${st.mode}:${st.mtimeNs}:${st.ctimeNs}`;
}

export async function cachedPackageHash(
  cacheDir: string,
  packageDir: string,
  compute: (stamps: Stamps) => Promise<string>,
  options: { nowMs?: number } = {},
): Promise<string> {
  const id = createHash('sha256').update(packageDir).digest('hex').slice(0, 16);
  const file = path.join(cacheDir, 'package-hashes', `${id}.json`);
  const cached = readValid(file, packageDir);
  if (cached !== undefined) return cached;
  const stamps: Stamps = new Map();
  const hash = await compute(stamps);
  if (!isRacy(stamps, options.nowMs ?? Date.now())) write(file, { format: FORMAT, packageDir, hash, stamps: [...stamps] });
  return hash;
}

function readValid(file: string, packageDir: string): string | undefined {
  let parsed: HashFile;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as HashFile;
  } catch {
    return undefined;
  }
  if (parsed.format !== FORMAT || parsed.packageDir !== packageDir || typeof parsed.hash !== 'string' || !Array.isArray(parsed.stamps)) return undefined;
  for (const [relative, stamp] of parsed.stamps) {
    if (stampOf(path.join(packageDir, relative)) !== stamp) return undefined;
  }
  return parsed.hash;
}

function isRacy(stamps: Stamps, nowMs: number): boolean {
  const now = BigInt(Math.floor(nowMs)) * 1_000_000n;
  for (const stamp of stamps.values()) {
    if (stamp === 'missing') continue;
    const parts = stamp.split(':');
    const newest = [BigInt(parts[3]!), BigInt(parts[4]!)].reduce((a, b) => (a > b ? a : b));
    if (newest > now - RACY_NS) return true;
  }
  return false;
}

/** Best effort: a cache that cannot be written only costs the next build a re-read. */
function write(file: string, body: HashFile): void {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(temp, JSON.stringify(body));
    renameSync(temp, file); // atomic: concurrent builds never read half a file
  } catch {
    // read-only cache dir
  }
}

/**
 * Integrity of committed layers. Two records are made at commit, after the
 * layer is unmounted and can no longer change through us:
 *
 *  - the *seal*: sha256 over every entry's (path, type, mode, uid, gid,
 *    size, mtime-ns, ctime-ns, inode; a symlink's length), sorted by path. It is
 *    recomputed by one `find` walk (metadata only, no file data) whenever a
 *    layer is first used in a run — as a lower layer, a build root, an input
 *    or an export — and must match. Any change made through the file system
 *    after the commit moves the ctime of what it touched (a write, truncate,
 *    chmod, chown, xattr change, link count change), or adds, removes or
 *    renames an entry, and ctime cannot be set back from user space; so a
 *    byte flipped by writing to a file is caught here, without reading data.
 *  - the *manifest* (`layer.manifest`): per entry its path, type, mode,
 *    uid, gid, size, mtime, and the digest of every regular file's
 *    content (content-digest.ts). `store verify` reads every file against
 *    it: that also catches what bypasses the file system (bit rot, a block edited on the
 *    raw device), which the seal cannot see. Its own digest is in
 *    object.info, so the manifest cannot be edited unnoticed either.
 *
 * Inode numbers and ctimes differ after a store is copied elsewhere; such a
 * store fails the seal although its content is intact: `store verify
 * --repair` re-seals objects whose content matches their manifest.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, constants, lstatSync, openSync } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errnoOf, storeError } from './errors.js';
import { digestFile, formFor, formOf, type DigestForm } from './content-digest.js';
import { scanLayersHere } from './scan-here.js';
import { sha256InWorkers, WORKER_MIN_FILES } from './hash-workers.js';

export interface ScannedEntry {
  /** Relative to the layer root ('' is the root itself). */
  readonly path: string;
  /** find's %y: f d l c b p s. */
  readonly type: string;
  /** "mode uid gid size mtime" as find prints them. */
  readonly stable: string;
  /** "ctime inode": what a copy of the store changes although content stays. */
  readonly volatile: string;
  /** Symlink target, else ''. */
  readonly link: string;
}

// No %l: readlink(2) updates a symlink's atime (which a stage may have set,
// e.g. clamped to SOURCE_DATE_EPOCH). A symlink's target cannot be changed
// in place: a new target is a new inode and ctime, and its length is %s.
const FORMAT = '%H\\0%P\\0%y\\0%m %U %G %s %T@\\0%C@ %i\\0\\0';
const FIELDS = 6;

/**
 * Walks the given layer dirs; entries per dir, sorted by path. Small layers
 * are walked in this process (scan-here.ts), the rest with one `find`.
 */
export async function scanLayers(dirs: readonly string[], limit?: number): Promise<Map<string, ScannedEntry[]>> {
  return (scanLayersHere(dirs, limit)?.entries) ?? scanLayersWithFind(dirs);
}

/** The walk by one `find` over every dir (the reference scan-here.ts reproduces). */
export async function scanLayersWithFind(dirs: readonly string[]): Promise<Map<string, ScannedEntry[]>> {
  const result = new Map<string, ScannedEntry[]>(dirs.map((dir) => [dir, []]));
  if (dirs.length === 0) return result;
  const run = await collect('find', [...dirs, '-printf', FORMAT]);
  const fields = run.stdout.toString('utf8').split('\0');
  for (let i = 0; i + FIELDS <= fields.length; i += FIELDS) {
    const [root, path, type, stable, volatile, link] = fields.slice(i, i + FIELDS) as [string, string, string, string, string, string];
    const list = result.get(root);
    if (list === undefined) throw storeError('layout', `find printed an entry of ${root}, which was not asked for`);
    list.push({ path, type, stable, volatile, link });
  }
  for (const [dir, list] of result) {
    if (list.length === 0) throw storeError('damaged', `its layer directory ${dir} is gone`, { details: { dir } });
  }
  if (run.code !== 0) throw storeError('layout', `find failed on the layers: ${run.stderr.trim().split('\n').slice(0, 3).join('; ')}`);
  for (const list of result.values()) {
    list.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
  return result;
}

// The records of sealLayerSorted: the seal's own bytes per entry
// (path, type, stable, volatile, empty link: each ended by NUL), except
// that the four NULs inside a record are newlines, since `sort -z` takes
// NUL as the end of a record; they are turned back before hashing. A
// newline is below every byte a path holds but control characters, so
// sorting whole records sorts them by path (a path before the paths below
// it), as sealOf's entries are sorted.
const SORTED_FORMAT = '%P\\n%y\\n%m %U %G %s %T@\\n%C@ %i\\n\\0';
const NL = 0x0a;

/**
 * The seal of a layer of any size in constant memory here: `find` lists
 * the entries, `LC_ALL=C sort -z` (with a bounded buffer, spilling to
 * temporary files beyond it) orders them, and the records are hashed as
 * they stream in, with no string made per entry. The bytes hashed are
 * the ones sealOf hashes whenever names are UTF-8 without control
 * characters and sort the same as bytes as in JS (code points below
 * U+D800, or none in U+E000–U+FFFF compared with one beyond U+FFFF);
 * for other names the digest differs, and the caller compares with a full
 * scan before calling the layer changed.
 */
export async function sealLayerSorted(dir: string): Promise<string> {
  // sort writes to a file, read back through one buffer: chunks of a pipe
  // would each be a new Buffer, freed only by a GC that this loop (which
  // allocates nothing on the JS heap) does not cause, and RSS would grow
  // with the layer.
  const tmp = await mkdtemp(join(tmpdir(), 'osbuild-ts-seal-'));
  try {
    const sorted = join(tmp, 'sorted');
    const out = openSync(sorted, 'w');
    const find = spawn('find', [dir, '-printf', SORTED_FORMAT], { stdio: ['ignore', 'pipe', 'pipe'] });
    let sort;
    try {
      sort = spawn('sort', ['-z', '-S', '16M', '-T', tmp], { stdio: [find.stdout, out, 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    } finally {
      closeSync(out);
    }
    // sort has the pipe's read end now; ours would keep find's 'close' from coming.
    find.stdout.destroy();
    const stderr: string[] = [];
    find.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
    sort.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
    const exited = (child: ReturnType<typeof spawn>, name: string) =>
      new Promise<number | null>((resolve, reject) => {
        child.on('error', (error) => reject(storeError('layout', `${name} cannot run (the store needs findutils and coreutils): ${error.message}`, { cause: error })));
        child.on('close', (code) => resolve(code));
      });
    const [findCode, sortCode] = await Promise.all([exited(find, 'find'), exited(sort, 'sort')]);
    if (findCode !== 0 || sortCode !== 0) {
      if (errnoOfPath(dir) === 'ENOENT') throw storeError('damaged', `its layer directory ${dir} is gone`, { details: { dir } });
      throw storeError('layout', `find | sort failed on ${dir}: ${stderr.join('').trim().split('\n').slice(0, 3).join('; ')}`);
    }
    const hash = createHash('sha256');
    const buf = Buffer.allocUnsafe(1 << 18);
    const handle = await open(sorted, 'r');
    try {
      let filled = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buf, filled, buf.length - filled, null);
        if (bytesRead === 0) break;
        filled += bytesRead;
        let start = 0;
        for (;;) {
          const end = buf.indexOf(0, start);
          if (end < 0 || end >= filled) break;
          // The last four newlines of the record end its fields (a path may hold newlines; the rest cannot).
          let at = end;
          for (let k = 0; k < 4 && at > start; k++) {
            at = buf.lastIndexOf(NL, at - 1);
            if (at < start) break;
            buf[at] = 0;
          }
          start = end + 1;
        }
        if (start === 0 && filled === buf.length) throw storeError('layout', `find printed a record longer than ${buf.length} bytes in ${dir}`);
        hash.update(buf.subarray(0, start));
        buf.copyWithin(0, start, filled);
        filled -= start;
      }
      if (filled > 0) throw storeError('layout', `find | sort ended in the middle of a record on ${dir}`);
    } finally {
      await handle.close();
    }
    return hash.digest('hex');
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

function errnoOfPath(path: string): string | undefined {
  try {
    lstatSync(path);
    return undefined;
  } catch (error) {
    return errnoOf(error);
  }
}

/** The fast check's digest of a scanned layer. */
export function sealOf(entries: readonly ScannedEntry[]): string {
  const hash = createHash('sha256');
  for (const e of entries) hash.update(`${e.path}\0${e.type}\0${e.stable}\0${e.volatile}\0${e.link}\0`);
  return hash.digest('hex');
}

/** The latest mtime among scanned entries, in whole seconds (floored; find's %T@ floors too). */
export function maxMtimeOf(entries: readonly ScannedEntry[]): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const e of entries) {
    const time = e.stable.split(' ')[4] ?? '';
    const seconds = Number(time.slice(0, time.indexOf('.')));
    if (seconds > max) max = seconds;
  }
  return max;
}

/**
 * The content digest (content-digest.ts) of every regular file of a scanned
 * layer, by relative path. Files are opened O_NOATIME: hashing must not
 * touch the layer (atimes are part of what a stage produced, e.g. clamped to
 * SOURCE_DATE_EPOCH). `recorded`: digests a manifest holds, whose form is
 * kept (older manifests hold plain sha256 digests of large files).
 */
export async function hashFiles(dir: string, entries: readonly ScannedEntry[], recorded?: ReadonlyMap<string, string>): Promise<Map<string, string>> {
  let files = entries.filter((e) => e.type === 'f');
  const forms = new Map<ScannedEntry, DigestForm>();
  for (const entry of files) {
    const previous = recorded?.get(entry.path);
    forms.set(entry, previous !== undefined ? formOf(previous) : formFor(Number(entry.stable.split(' ')[3])));
  }
  let hashes = new Map<string, string>();
  const plain = files.filter((e) => forms.get(e) === 'bytes');
  if (plain.length >= WORKER_MIN_FILES) {
    // Many small files: synchronous reads in worker threads (hash-workers.ts); the block form stays here.
    const { digests, failed } = await sha256InWorkers(dir, plain.map((e) => e.path));
    if (failed !== null) throw storeError('damaged', `reading /${failed.path} of ${dir} failed (${failed.code})`, { details: { dir, path: failed.path } });
    hashes = digests;
    files = files.filter((e) => forms.get(e) !== 'bytes');
  }
  let next = 0;
  const worker = async () => {
    const chunk = Buffer.allocUnsafe(1 << 20);
    while (next < files.length) {
      const entry = files[next++]!;
      const path = join(dir, entry.path);
      const size = Number(entry.stable.split(' ')[3]);
      const form = forms.get(entry)!;
      let handle;
      try {
        handle = await open(path, constants.O_RDONLY | constants.O_NOATIME | constants.O_NOFOLLOW);
      } catch (error) {
        throw storeError('damaged', `reading /${entry.path} of ${dir} failed (${errnoOf(error) ?? String(error)})`, { details: { dir, path: entry.path } });
      }
      try {
        hashes.set(entry.path, await digestFile(handle, path, size, form, chunk));
      } finally {
        await handle.close();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, files.length) }, worker));
  return hashes;
}

export interface ManifestEntry {
  readonly path: string;
  readonly type: string;
  readonly stable: string;
  /** Content digest of a regular file (content-digest.ts), else ''. */
  readonly content: string;
}

export function manifestOf(entries: readonly ScannedEntry[], hashes: ReadonlyMap<string, string>): ManifestEntry[] {
  return entries.map((e) => ({
    path: e.path,
    type: e.type,
    stable: e.stable,
    content: e.type === 'f' ? (hashes.get(e.path) ?? '') : '',
  }));
}

const MANIFEST_HEADER = 'osbuild-ts.layer-manifest.v1\0';

export function serializeManifest(entries: readonly ManifestEntry[]): string {
  return MANIFEST_HEADER + entries.map((e) => `${e.path}\0${e.type}\0${e.stable}\0${e.content}\0`).join('');
}

export function parseManifest(text: string): ManifestEntry[] | null {
  if (!text.startsWith(MANIFEST_HEADER)) return null;
  const fields = text.slice(MANIFEST_HEADER.length).split('\0');
  if (fields.length % 4 !== 1) return null;
  const entries: ManifestEntry[] = [];
  for (let i = 0; i + 4 <= fields.length; i += 4) {
    entries.push({ path: fields[i]!, type: fields[i + 1]!, stable: fields[i + 2]!, content: fields[i + 3]! });
  }
  return entries;
}

export function digestOf(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * What differs between the manifest made at commit and the layer now, in
 * words, at most `limit` items ("usr/bin/x: removed", "etc/y: content
 * changed"…). Metadata the manifest does not keep (ctime, inode) shows as
 * "rewritten in place" when nothing else differs.
 */
export function describeChanges(
  recorded: readonly ManifestEntry[],
  now: readonly ScannedEntry[],
  hashes: ReadonlyMap<string, string> | null,
  limit = 3,
): string[] {
  const changes: string[] = [];
  const before = new Map(recorded.map((e) => [e.path, e]));
  const name = (path: string) => (path === '' ? '/' : `/${path}`);
  for (const e of now) {
    const old = before.get(e.path);
    before.delete(e.path);
    if (old === undefined) changes.push(`${name(e.path)}: added`);
    else if (old.type !== e.type) changes.push(`${name(e.path)}: type ${old.type} → ${e.type}`);
    else if (old.stable !== e.stable) changes.push(`${name(e.path)}: ${statDiff(old.stable, e.stable)}`);
    else if (hashes !== null && e.type === 'f' && hashes.get(e.path) !== old.content) changes.push(`${name(e.path)}: content changed`);
  }
  for (const path of before.keys()) changes.push(`${name(path)}: removed`);
  if (changes.length > limit) return [...changes.slice(0, limit), `and ${changes.length - limit} more`];
  return changes;
}

function statDiff(a: string, b: string): string {
  const labels = ['mode', 'owner', 'group', 'size', 'mtime'];
  const x = a.split(' ');
  const y = b.split(' ');
  const parts = labels.flatMap((label, i) => (x[i] === y[i] ? [] : [`${label} ${x[i]} → ${y[i]}`]));
  return parts.join(', ') || 'metadata changed';
}

/** Runs a tool, collecting stdout and stderr; only a tool that cannot start is an error here. */
function collect(command: string, args: readonly string[], cwd?: string): Promise<{ stdout: Buffer; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', (error) => {
      const missing = errnoOf(error) === 'ENOENT' && cwd === undefined;
      reject(storeError(missing ? 'layout' : 'damaged', missing ? `${command} is not installed (the store needs findutils and coreutils)` : `${command} failed: ${error.message}`, { cause: error }));
    });
    child.on('close', (code) => resolve({ stdout: Buffer.concat(out), stderr, code }));
  });
}

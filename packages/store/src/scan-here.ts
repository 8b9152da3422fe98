/**
 * The seal's metadata walk (seal.ts scanLayers) done in this process for
 * small layers: the same entries, byte for byte, that `find -printf` gives,
 * without starting `find` (a fork of this process and an exec, several ms
 * each, paid for every layer checked on a warm build and every commit). The
 * walk stops after `limit` entries and returns null; so does anything
 * unusual (a name that is not UTF-8, an error other than a missing layer):
 * the caller then runs `find`, so large and odd trees cost what they did.
 * It also sums the disk usage `du -s -x -B1` would print (blocks × 512,
 * each inode once), for commit.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, type BigIntStats } from 'node:fs';
import { errnoOf, isStoreError, storeError } from './errors.js';
import type { ScannedEntry } from './seal.js';
import { decimalSeconds } from './decimal-seconds.js';

export interface HereScan {
  /** Per layer dir, entries sorted by path (as scanLayers returns them). */
  readonly entries: Map<string, ScannedEntry[]>;
  /** Per layer dir, what `du -s -x -B1` prints. */
  readonly bytes: Map<string, number>;
}

/** Walks at most this many entries here by default; more goes to `find`. */
export const HERE_LIMIT = 4000;

class TooBig extends Error {}

/** The stat of a layer's root; a missing one is a damaged object. */
function layerRoot(dir: string): BigIntStats {
  try {
    return lstatSync(dir, { bigint: true });
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') throw storeError('damaged', `its layer directory ${dir} is gone`, { details: { dir } });
    throw error;
  }
}

export function scanLayersHere(dirs: readonly string[], limit = HERE_LIMIT): HereScan | null {
  const entries = new Map<string, ScannedEntry[]>();
  const bytes = new Map<string, number>();
  let budget = limit;
  try {
    for (const dir of dirs) {
      const root = layerRoot(dir);
      const list: ScannedEntry[] = [];
      const seen = new Set<bigint>();
      let blocks = 0n;
      const visit = (path: string, full: string, st: BigIntStats) => {
        if (--budget < 0) throw new TooBig();
        if (st.dev !== root.dev) throw new TooBig(); // du -x and find would differ: leave it to them
        list.push(entryOf(path, st));
        if (st.nlink <= 1n || !seen.has(st.ino)) {
          if (st.nlink > 1n) seen.add(st.ino);
          blocks += st.blocks;
        }
        if (!st.isDirectory()) return;
        for (const name of readdirSync(full)) {
          if (name.includes('\uFFFD')) throw new TooBig(); // maybe not UTF-8: find decodes it its way
          const childFull = `${full}/${name}`;
          visit(path === '' ? name : `${path}/${name}`, childFull, lstatSync(childFull, { bigint: true }));
        }
      };
      if (!root.isDirectory()) throw new TooBig();
      visit('', dir, root);
      list.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      entries.set(dir, list);
      bytes.set(dir, Number(blocks * 512n));
    }
  } catch (error) {
    if (isStoreError(error, 'damaged')) throw error;
    return null;
  }
  return { entries, bytes };
}

/**
 * The seal of one small layer without holding its entries: the walk goes
 * in the order the seal is taken in (paths sorted as JS compares strings),
 * so each entry is hashed as it is met and only the names of the
 * directories on the current path are kept. The order: a directory's
 * children sorted by name, except that the entries below a child directory
 * `x` come where `x/` sorts (after `x` itself, and after a sibling such as
 * `x-y`, since '-' < '/'): every path below `x` begins with `x/`, no
 * sibling's name does, so they sort as one block there. Null after `limit`
 * entries, and when the walk meets what only find handles the same way (a
 * name that may not be UTF-8, another file system, an unknown type): the
 * caller then takes the seal with find (seal.ts sealLayerSorted).
 */
export function sealLayerHere(dir: string, limit = HERE_LIMIT): string | null {
  const hash = createHash('sha256');
  const root = layerRoot(dir);
  let budget = limit;
  const add = (path: string, st: BigIntStats) => {
    if (--budget < 0) throw new TooBig();
    if (st.dev !== root.dev) throw new TooBig();
    const e = entryOf(path, st);
    hash.update(`${e.path}\0${e.type}\0${e.stable}\0${e.volatile}\0${e.link}\0`);
  };
  const walk = (path: string, full: string) => {
    const names = readdirSync(full);
    names.sort();
    // Child directories met but not walked yet, as `name/` (the place their
    // entries sort at): each is walked when the next name sorts after it
    // (usually at once; later when a sibling such as `name-x` comes first).
    // Few at a time: a plain scan for the least suffices.
    const pending: string[] = [];
    const flush = (before: string | null) => {
      for (;;) {
        let first = -1;
        for (let i = 0; i < pending.length; i++) if (first < 0 || pending[i]! < pending[first]!) first = i;
        if (first < 0) return;
        const key = pending[first]!;
        if (before !== null && !(key < before)) return;
        pending.splice(first, 1);
        const name = key.slice(0, -1);
        walk(path === '' ? name : `${path}/${name}`, `${full}/${name}`);
      }
    };
    for (const name of names) {
      if (name.includes('\uFFFD')) throw new TooBig();
      flush(name);
      const st = lstatSync(`${full}/${name}`, { bigint: true });
      add(path === '' ? name : `${path}/${name}`, st);
      if (st.isDirectory()) pending.push(`${name}/`);
    }
    flush(null);
  };
  try {
    if (!root.isDirectory()) throw new TooBig();
    add('', root);
    walk('', dir);
  } catch (error) {
    if (isStoreError(error, 'damaged')) throw error;
    return null;
  }
  return hash.digest('hex');
}

/** The entry find's walk (seal.ts FORMAT) prints for `path` of this stat. */
export function entryOf(path: string, st: BigIntStats): ScannedEntry {
  const mode = (Number(st.mode) & 0o7777).toString(8);
  return {
    path,
    type: typeOf(st),
    stable: `${mode} ${st.uid} ${st.gid} ${st.size} ${findTime(st.mtimeNs)}`,
    volatile: `${findTime(st.ctimeNs)} ${st.ino}`,
    link: '',
  };
}

function typeOf(st: BigIntStats): string {
  if (st.isFile()) return 'f';
  if (st.isDirectory()) return 'd';
  if (st.isSymbolicLink()) return 'l';
  if (st.isCharacterDevice()) return 'c';
  if (st.isBlockDevice()) return 'b';
  if (st.isFIFO()) return 'p';
  if (st.isSocket()) return 's';
  throw new TooBig();
}

/** find's %T@/%C@: whole seconds (floored), a dot, nanoseconds and a trailing 0. */
function findTime(ns: bigint): string {
  return `${decimalSeconds(ns)}0`;
}

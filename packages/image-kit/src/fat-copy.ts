import { spawnSync } from 'node:child_process';
import { constants, copyFileSync, lstatSync, mkdirSync, statSync, utimesSync, type Stats } from 'node:fs';
import { basename, join, posix } from 'node:path';
import { walkTree } from './walk-tree.js';

/** One thing to put on a FAT file system. */
export interface FatEntry {
  /** Path on the file system, `/`-separated, no leading slash. */
  path: string;
  kind: 'dir' | 'file';
  /** The host file with the content (files only). */
  source?: string;
  /** Modification time, seconds. */
  mtime: number;
}

/** mtools' batches stay well below the kernel's argument limit. */
const BATCH = 500;

/**
 * The environment for mtools: no user or system configuration, no drive
 * checks, times in UTC (FAT stores local time; Linux reads it as UTC), and
 * the source epoch for the times mtools would take from the clock.
 */
export function mtoolsEnv(epoch: number | null): Record<string, string> {
  const env: Record<string, string> = { MTOOLSRC: '/dev/null', MTOOLS_SKIP_CHECK: '1', TZ: 'UTC' };
  if (epoch !== null) env['SOURCE_DATE_EPOCH'] = String(epoch);
  return env;
}

/**
 * Runs an mtools command like runTool, without mtools' warning that a
 * block device (a loop device) has no disk geometry: mtools goes on
 * without one, and the line would only be noise in the build log.
 */
export function runMtools(command: string, args: readonly string[], env: Record<string, string>): void {
  const result = spawnSync(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  if (result.error) throw new Error(`${command}: ${result.error.message}`);
  const stderr = result.stderr.replace(/Could not get geometry of device \([^)]*\)\n?/g, '');
  if (stderr !== '') process.stderr.write(stderr.endsWith('\n') ? stderr : `${stderr}\n`);
  if (result.status !== 0) {
    const how = result.signal ? `killed by ${result.signal}` : `exit status ${result.status}`;
    throw new Error(`${[command, ...args].join(' ')} failed (${how})`);
  }
}

/** A time as it goes onto the file system: whole seconds, no later than the epoch. */
export function clampTime(seconds: number, epoch: number | null): number {
  const whole = Math.floor(seconds);
  return epoch !== null && whole > epoch ? epoch : whole;
}

/**
 * The entries for the contents of the host directory `root`, placed under
 * `into` on the FAT file system, parents before children, names sorted by
 * their bytes so that the directories come out the same every time.
 * Directories in `prune` (relative to `root`) are made but not entered.
 * FAT has no owners, modes, links or special files: a symlink, device,
 * fifo or socket is an error, as copying it onto a mounted FAT would be;
 * `display` names `root` in messages.
 */
export function treeToFatEntries(root: string, options: { into?: string; prune?: ReadonlySet<string>; epoch: number | null; display: string }): FatEntry[] {
  const into = trimSlashes(options.into ?? '');
  const entries: FatEntry[] = [];
  for (const entry of walkTree(root, options.prune ?? new Set())) {
    const path = into === '' ? entry.path : `${into}/${entry.path}`;
    const mtime = clampTime(entry.stat.mtimeMs / 1000, options.epoch);
    if (entry.stat.isDirectory()) entries.push({ path, kind: 'dir', mtime });
    else if (entry.stat.isFile()) entries.push({ path, kind: 'file', source: join(root, entry.path), mtime });
    else throw new Error(`${joinDisplay(options.display, entry.path)}: FAT cannot hold ${kindOf(entry.stat)}`);
  }
  return entries;
}

/** The entry for one host file or directory (not its contents) at `path` on the FAT file system. */
export function hostFileToFatEntry(source: string, path: string, epoch: number | null, display: string): FatEntry {
  const stat = lstatSync(source);
  const mtime = clampTime(stat.mtimeMs / 1000, epoch);
  if (stat.isDirectory()) return { path: trimSlashes(path), kind: 'dir', mtime };
  if (stat.isFile()) return { path: trimSlashes(path), kind: 'file', source, mtime };
  throw new Error(`${display}: FAT cannot hold ${kindOf(stat)}`);
}

/** Directory entries for the parents of `entries` that none of them makes, stamped `mtime`. */
export function missingParents(entries: readonly FatEntry[], have: (path: string) => boolean, mtime: number): FatEntry[] {
  const made = new Set(entries.filter((e) => e.kind === 'dir').map((e) => e.path.toUpperCase()));
  const parents: FatEntry[] = [];
  for (const entry of entries) {
    const parts = entry.path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (made.has(dir.toUpperCase()) || have(dir)) continue;
      made.add(dir.toUpperCase());
      parents.push({ path: dir, kind: 'dir', mtime });
    }
  }
  return parents;
}

/** What is on a FAT file system already: upper-cased path → its path and whether it is a directory. */
export type FatListing = Map<string, { path: string; dir: boolean }>;

/** Every file and directory on the FAT file system in `image` (a file or a block device), with `mdir`. */
export function listFat(image: string, env: Record<string, string>): FatListing {
  const result = spawnSync('mdir', ['-/', '-b', '-i', image, '::/'], { encoding: 'utf8', env: { ...process.env, ...env } });
  if (result.error) throw new Error(`mdir: ${result.error.message}`);
  const listing: FatListing = new Map();
  if (result.status !== 0) {
    // An empty file system: mdir finds nothing to list and says so.
    const stderr = result.stderr.replace(/Could not get geometry of device \([^)]*\)\n?/g, '').trim();
    if (result.stdout.trim() === '' && /File "::\/" not found/.test(stderr)) return listing;
    throw new Error(`mdir -/ -b -i ${image} ::/ failed (exit status ${result.status}): ${stderr}`);
  }
  for (const line of result.stdout.split('\n')) {
    if (!line.startsWith('::/')) continue;
    const dir = line.endsWith('/');
    const path = trimSlashes(line.slice(3));
    if (path !== '') listing.set(path.toUpperCase(), { path, dir });
  }
  return listing;
}

export interface FatWrite {
  /** The FAT file system: an image file or a block device. */
  image: string;
  entries: readonly FatEntry[];
  /** What is on it already (listFat); default: read it. */
  existing?: FatListing;
  /** A directory for scratch copies (files whose time or name must differ from the host's). */
  scratch: string;
  epoch: number | null;
  /** Names the copy's origin in messages. */
  display: string;
}

/**
 * Writes `entries` onto a FAT file system with mtools, nothing mounted:
 * new directories first, parents before children (`mcopy -s` of an empty
 * directory stamped with the entry's time, which `mmd` cannot set), then
 * the files of each directory in one `mcopy`, in order, keeping their times
 * (`-m`). Existing directories are kept; existing files are replaced. Two
 * entries whose names differ only in case are one name on FAT: an error.
 */
export function writeFat(write: FatWrite): void {
  const env = mtoolsEnv(write.epoch);
  const existing = write.existing ?? listFat(write.image, env);
  const plan = planFat(write.entries, existing, write.display);

  let scratchCount = 0;
  const scratchDir = () => {
    const dir = join(write.scratch, `fat-${scratchCount++}`);
    mkdirSync(dir, { recursive: true });
    return dir;
  };
  const target = (dir: string) => `::/${dir}${dir === '' ? '' : '/'}`;

  for (const [parent, dirs] of plan.dirs) {
    // Directory stand-ins, named as the entries are; mcopy names each copy after its source.
    const stage = scratchDir();
    const sources = dirs.map((d) => {
      const source = join(stage, basename(d.path));
      mkdirSync(source);
      utimesSync(source, d.mtime, d.mtime);
      return source;
    });
    for (let i = 0; i < sources.length; i += BATCH) {
      runMtools('mcopy', ['-s', '-p', '-m', '-Q', '-i', write.image, ...sources.slice(i, i + BATCH), target(parent)], env);
    }
  }
  for (const [parent, files] of plan.files) {
    let stage: string | null = null;
    const sources = files.map((f) => {
      const source = f.source as string;
      const name = basename(f.path);
      if (basename(source) === name && Math.floor(statSync(source).mtimeMs / 1000) === f.mtime) return source;
      // Another name or a clamped time: a copy (a clone where the file system can) carries them.
      stage ??= scratchDir();
      const copy = join(stage, name);
      copyFileSync(source, copy, constants.COPYFILE_FICLONE);
      utimesSync(copy, f.mtime, f.mtime);
      return copy;
    });
    for (let i = 0; i < sources.length; i += BATCH) {
      // -D oO: a file already there, under its long or its short name, is replaced without asking.
      runMtools('mcopy', ['-p', '-m', '-Q', '-D', 'oO', '-i', write.image, ...sources.slice(i, i + BATCH), target(parent)], env);
    }
  }
}

interface FatPlan {
  /** Parent directory → new directories in it, parents' groups first. */
  dirs: Map<string, FatEntry[]>;
  /** Parent directory → files to copy into it, in entry order. */
  files: Map<string, FatEntry[]>;
}

/** Checks the entries against each other and what is there, and groups them by directory. */
export function planFat(entries: readonly FatEntry[], existing: FatListing, display: string): FatPlan {
  const wanted = new Map<string, FatEntry>();
  for (const entry of entries) {
    const key = entry.path.toUpperCase();
    if (entry.path === '') throw new Error(`${display}: an entry has no name on the FAT file system`);
    const earlier = wanted.get(key);
    if (earlier) {
      if (earlier.path !== entry.path) throw new Error(`${display}: ${earlier.path} and ${entry.path} are one name on FAT, which ignores case`);
      if (earlier.kind !== entry.kind) throw new Error(`${display}: ${entry.path} is both a directory and a file`);
      // The same directory twice is one; the same file twice, the later copy wins.
      if (entry.kind === 'file') wanted.set(key, entry);
      continue;
    }
    const there = existing.get(key);
    if (there && there.dir !== (entry.kind === 'dir')) {
      throw new Error(`${display}: cannot put ${entry.kind === 'dir' ? 'a directory' : 'a file'} at /${entry.path}: the FAT file system has a ${there.dir ? 'directory' : 'file'} /${there.path}`);
    }
    wanted.set(key, entry);
  }
  const isDir = (path: string) => path === '' || existing.get(path.toUpperCase())?.dir === true || wanted.get(path.toUpperCase())?.kind === 'dir';
  const dirs = new Map<string, FatEntry[]>();
  const files = new Map<string, FatEntry[]>();
  const newDirs: FatEntry[] = [];
  for (const entry of wanted.values()) {
    const parent = posix.dirname(entry.path) === '.' ? '' : posix.dirname(entry.path);
    if (!isDir(parent)) throw new Error(`${display}: no directory /${parent} on the FAT file system to put /${entry.path} in`);
    if (entry.kind === 'dir') {
      if (!existing.has(entry.path.toUpperCase())) newDirs.push(entry);
    } else {
      push(files, parent, entry);
    }
  }
  // Shallower first, so that each mcopy finds its target directory.
  newDirs.sort((a, b) => a.path.split('/').length - b.path.split('/').length);
  for (const dir of newDirs) push(dirs, posix.dirname(dir.path) === '.' ? '' : posix.dirname(dir.path), dir);
  return { dirs, files };
}

function push(map: Map<string, FatEntry[]>, key: string, entry: FatEntry): void {
  const list = map.get(key) ?? [];
  list.push(entry);
  map.set(key, list);
}

function trimSlashes(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}

function joinDisplay(display: string, path: string): string {
  return `${display.replace(/\/+$/, '')}/${path}`;
}

function kindOf(stat: Stats): string {
  if (stat.isSymbolicLink()) return 'symlinks';
  if (stat.isBlockDevice() || stat.isCharacterDevice()) return 'device nodes';
  if (stat.isFIFO()) return 'fifos';
  if (stat.isSocket()) return 'sockets';
  return 'this kind of file';
}

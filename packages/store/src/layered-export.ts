/**
 * Export of a stack of layers without copying the bottom layer through
 * overlayfs. Through an overlay mount, `cp --reflink=auto` cannot share
 * blocks (the source file is on the overlay, the destination is not: the
 * clone fails with EXDEV and every byte is copied), and every read pays
 * overlay's lookups. The bottom layer of an OS tree (the untar, the
 * bootstrap) is nearly all of it, and the stages above change little.
 *
 * So: the bottom layer is copied straight from its layer dir (`cp -a
 * --reflink=auto`: shared blocks on xfs/btrfs), and only the paths that a
 * layer above names are then taken from the merged view, where the kernel
 * has already applied whiteouts, opaque dirs and redirects:
 *  - a path the view no longer has is removed;
 *  - a non-directory, or a directory that is opaque, redirected, or a
 *    directory in one upper layer and not in another, is removed and copied
 *    whole from the view (one `cp -a --parents` for all of them, so hard
 *    links among them stay links);
 *  - any other directory keeps its entries (those not named above come from
 *    the bottom layer, as in the view) and takes its mode, owner and times
 *    from the view; its xattrs are compared with the view's.
 * A path no upper layer names is the bottom layer's in the view, so the
 * result is the tree the overlay export gives. Anything this does not model
 * (overlay xattrs in the bottom layer, a whiteout there, xattr whiteouts or
 * metacopy in an upper layer, a directory whose xattrs differ from the
 * view's, too many paths for one command line) answers false, and the
 * caller clears the destination and copies through the view as before.
 */
import { spawn } from 'node:child_process';
import { chmod, lchown, lstat, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runTool } from './files.js';

/** Bytes of paths passed to one `cp --parents` (the kernel allows ~2 MiB of arguments). */
const MAX_ARGUMENT_BYTES = 512 * 1024;

interface UpperScan {
  /** Every path some upper layer holds, '' being the root, sorted. */
  readonly paths: string[];
  /** Paths to copy whole from the view (opaque, redirected, or of changing type). */
  readonly whole: Set<string>;
}

/**
 * Exports the stack `lowers` (layer dirs, newest first, at least two),
 * whose merged read-only view is mounted at `view`, into the empty dir
 * `destination`. False: not done this way (the destination may hold a
 * partial copy; the caller empties it).
 */
export async function exportByLayers(lowers: readonly string[], view: string, destination: string): Promise<boolean> {
  const bottom = lowers[lowers.length - 1]!;
  const upper = await scanUppers(lowers.slice(0, -1));
  if (upper === null) return false;
  const copyBottom = runTool('cp', ['-a', '--reflink=auto', `${bottom}/.`, `${destination}/`]);
  const plain = bottomIsPlain(bottom);
  // Both settle before either's result is used: no copy runs on after a refusal.
  const [copied, isPlain] = await Promise.allSettled([copyBottom, plain]);
  if (copied.status === 'rejected') throw copied.reason;
  if (isPlain.status === 'rejected') throw isPlain.reason;
  if (!isPlain.value) return false;

  const wholeRoots = [...upper.whole];
  const under = (path: string) => wholeRoots.some((root) => path.startsWith(`${root}/`));
  const copies: string[] = [];
  const dirs: string[] = [];
  for (const path of upper.paths) {
    if (path !== '' && under(path)) continue;
    const inView = await lstat(join(view, path)).catch(() => null);
    const target = join(destination, path);
    if (path === '') {
      dirs.push(path);
      continue;
    }
    if (inView === null) {
      await rm(target, { recursive: true, force: true });
    } else if (upper.whole.has(path) || !inView.isDirectory()) {
      await rm(target, { recursive: true, force: true });
      copies.push(path);
    } else {
      const here = await lstat(target).catch(() => null);
      if (here !== null && !here.isDirectory()) await rm(target, { recursive: true, force: true });
      if (here === null || !here.isDirectory()) await mkdir(target);
      dirs.push(path);
    }
  }
  if (copies.length > 0) await runTool('cp', ['-a', '--parents', '--', ...copies, `${destination}/`], { cwd: view });

  // Directories: owner and mode from the view, then times (after every entry below them changed).
  for (const path of dirs) {
    const st = await lstat(join(view, path));
    const target = join(destination, path);
    await lchown(target, st.uid, st.gid);
    await chmod(target, st.mode & 0o7777);
  }
  await touchFromReference(dirs.map((path) => [join(view, path), join(destination, path)]));
  const names = dirs.map((path) => (path === '' ? '.' : `./${path}`));
  const [inView, exported] = await Promise.all([xattrDump(view, names), xattrDump(destination, names)]);
  return inView === exported;
}

/** The paths the upper layers hold, and those to copy whole; null: something this export does not model. */
async function scanUppers(uppers: readonly string[]): Promise<UpperScan | null> {
  const listing = await runTool('find', [...uppers, '-printf', '%H\\0%P\\0%y\\0']);
  const fields = listing.split('\0');
  const types = new Map<string, string>();
  const whole = new Set<string>();
  let bytes = 0;
  for (let i = 0; i + 3 <= fields.length; i += 3) {
    const path = fields[i + 1]!;
    const isDir = fields[i + 2] === 'd';
    const seen = types.get(path);
    if (seen === undefined) {
      types.set(path, isDir ? 'd' : 'n');
      bytes += path.length + 1;
    } else if ((seen === 'd') !== isDir && path !== '') whole.add(path);
  }
  if (bytes > MAX_ARGUMENT_BYTES) return null;
  for (const [path, names] of await overlayXattrs(uppers)) {
    for (const [name, value] of names) {
      const kind = name.replace(/^(trusted|user)\.overlay\./, '');
      // What overlay records for itself (inode origins, the upper root's uuid), not for the view.
      if (kind === 'origin' || kind === 'impure' || kind === 'nlink' || kind === 'uuid') continue;
      if (kind === 'redirect' || (kind === 'opaque' && value === '0x79')) {
        if (path !== '') whole.add(path);
        continue;
      }
      return null; // xattr whiteouts, metacopy, or a kind this export does not know
    }
  }
  return { paths: [...types.keys()].sort(), whole };
}

/** Overlay xattrs under `dirs`: layer-relative path → [name, value in hex ("0x79": "y")]. */
async function overlayXattrs(dirs: readonly string[]): Promise<Map<string, [string, string][]>> {
  const out = await runTool('getfattr', ['-R', '-h', '-d', '-e', 'hex', '--absolute-names', '-m', '^(trusted|user)\\.overlay\\.', '--', ...dirs]);
  const result = new Map<string, [string, string][]>();
  let current: [string, string][] | undefined;
  for (const line of out.split('\n')) {
    if (line.startsWith('# file: ')) {
      const file = unescapeName(line.slice('# file: '.length));
      const dir = dirs.find((d) => file === d || file.startsWith(`${d}/`));
      const path = dir === undefined ? file : file.slice(dir.length + 1);
      current = result.get(path) ?? [];
      result.set(path, current);
      continue;
    }
    const m = /^([^=]+)(?:=(.*))?$/.exec(line);
    if (m !== null && current !== undefined) current.push([m[1]!, m[2] ?? '']);
  }
  return result;
}

/** getfattr's escapes (\ooo) back to the name's bytes. */
function unescapeName(text: string): string {
  if (!text.includes('\\')) return text;
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const m = /^\\([0-7]{3})/.exec(text.slice(i, i + 4));
    if (m !== null) {
      bytes.push(Number.parseInt(m[1]!, 8));
      i += 3;
    } else bytes.push(...Buffer.from(text[i]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * The bottom layer holds nothing overlay would interpret (a whiteout device,
 * an overlay xattr): copied straight, it gives what the view shows.
 */
async function bottomIsPlain(dir: string): Promise<boolean> {
  const devices = (await runTool('find', [dir, '-type', 'c', '-print0'])).split('\0').filter((p) => p !== '');
  for (const path of devices) {
    const st = await lstat(path).catch(() => null);
    if (st === null || st.rdev === 0) return false;
  }
  return (await overlayXattrs([dir])).size === 0;
}

/** `touch -h -r REFERENCE TARGET` for each pair, from one xargs. */
async function touchFromReference(pairs: readonly (readonly [string, string])[]): Promise<void> {
  if (pairs.length === 0) return;
  await new Promise<void>((resolve, reject) => {
    const child = spawn('xargs', ['-0', '-n', '2', 'touch', '-h', '-r'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`touch -h -r of the exported directories failed: ${stderr.trim()}`))));
    child.stdin.end(pairs.map(([reference, target]) => `${reference}\0${target}\0`).join(''));
  });
}

/** Every xattr of `names` (relative to `cwd`), as getfattr dumps them. */
async function xattrDump(cwd: string, names: readonly string[]): Promise<string> {
  if (names.length === 0) return '';
  return runTool('getfattr', ['-h', '-d', '-m', '-', '-e', 'hex', '--', ...names], { cwd });
}

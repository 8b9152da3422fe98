/**
 * Mounting through util-linux `mount`/`umount` (Node cannot call mount(2)).
 * Every mount is made `--make-private` in the same command (util-linux
 * applies it right after the mount), and sits below a run's private tmpfs
 * (run.ts) unless the caller chose the target: so nothing the store mounts
 * propagates to the host or to other builds. The explicit flag matters for
 * bind mounts, which would otherwise join the peer group of their source.
 */
import { readFile } from 'node:fs/promises';
import { isStoreError, storeError } from './errors.js';
import { sleep } from './lock.js';
import { runTool } from './files.js';

export interface MountEntry {
  readonly mountPoint: string;
  readonly fsType: string;
  readonly source: string;
  /** Optional fields of mountinfo: `shared:N`, `master:N`… (none = private). */
  readonly propagation: readonly string[];
}

/** Octal escapes (`\040` for blank) that the kernel uses in mountinfo. */
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

export async function readMountInfo(): Promise<MountEntry[]> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const fields = line.split(' ');
    const separator = fields.indexOf('-');
    if (separator < 6) continue;
    entries.push({
      mountPoint: unescape(fields[4] ?? ''),
      propagation: fields.slice(6, separator),
      fsType: fields[separator + 1] ?? '',
      source: unescape(fields[separator + 2] ?? ''),
    });
  }
  return entries;
}

/** Mount points at or below `dir`, deepest first (the order to unmount them in); from `entries` when given (a mountinfo just read). */
export function mountsBelow(dir: string, entries: readonly MountEntry[]): string[];
export function mountsBelow(dir: string): Promise<string[]>;
export function mountsBelow(dir: string, entries?: readonly MountEntry[]): string[] | Promise<string[]> {
  if (entries === undefined) return readMountInfo().then((read) => mountsBelow(dir, read));
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  return entries
    .map((entry) => entry.mountPoint)
    .filter((point) => point === dir || point.startsWith(prefix))
    .sort((a, b) => b.split('/').length - a.split('/').length || b.length - a.length);
}

export async function mountTmpfs(target: string): Promise<void> {
  try {
    await runTool('mount', ['-t', 'tmpfs', '-o', 'mode=0700,size=16m', '--make-private', 'osbuild-ts-store', target], {
      reason: 'mount',
    });
  } catch (error) {
    if (process.getuid?.() === 0) throw error;
    throw storeError('mount', 'the object store mounts overlays and needs root', {
      cause: error,
      hint: 'run osbuild as root (sudo)',
    });
  }
}

export async function bindMount(source: string, target: string, readOnly: boolean): Promise<void> {
  // util-linux turns `--bind -o ro` into bind + read-only remount.
  await runTool('mount', ['--bind', ...(readOnly ? ['-o', 'ro'] : []), '--make-private', source, target], {
    reason: 'mount',
  });
}

/**
 * Mounts an overlay whose option string names layers relative to `cwd`
 * (short symlinks there), so that hundreds of layers fit the one-page limit
 * on mount options whatever the store's path.
 */
export async function mountOverlay(options: string, target: string, cwd: string): Promise<void> {
  await runTool('mount', ['-t', 'overlay', '-o', options, '--make-private', 'overlay', target], { cwd, reason: 'mount' });
}

/**
 * Unmounts; retries EBUSY for a while (a process may still be leaving the
 * tree). `lazy` detaches instead of failing, for read-only views and
 * recovery, never for a layer about to be committed.
 */
export async function unmount(target: string, options: { lazy?: boolean; attempts?: number } = {}): Promise<void> {
  const attempts = options.attempts ?? 20;
  for (let attempt = 1; ; attempt++) {
    try {
      await runTool('umount', [target], { reason: 'mount' });
      return;
    } catch (error) {
      const text = isStoreError(error) ? String(error.details['stderr'] ?? '') : '';
      if (/not mounted|no mount point specified/.test(text)) return;
      if (!/busy/i.test(text)) throw error;
      if (attempt >= attempts) {
        if (options.lazy === true) {
          await runTool('umount', ['-l', target], { reason: 'mount' });
          return;
        }
        throw storeError('busy', `${target} is still in use and cannot be unmounted`, {
          cause: error,
          hint: 'a process (a stage or a shell) still has files open or its working directory in the tree',
          details: { target },
        });
      }
      await sleep(Math.min(10 * attempt, 100));
    }
  }
}

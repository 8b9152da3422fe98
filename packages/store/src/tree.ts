/** Read-only (or throwaway-writable) merged views of an object, and export. */
import { existsSync, mkdirSync, rmdirSync } from 'node:fs';
import { mkdir, readdir, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { StoreContext } from './context.js';
import { removeTree, runTool } from './files.js';
import { isStoreError, storeError } from './errors.js';
import { unmount } from './mount.js';
import { layerDir } from './objects.js';
import { mountLayers, viewMountCommand } from './overlay.js';
import { naming } from './space.js';
import { exportByLayers } from './layered-export.js';

export interface MountedTree {
  readonly key: string;
  /** The merged tree. */
  readonly path: string;
  /** Unmounts and lets the object be evicted again. Idempotent. */
  unmount(): Promise<void>;
}

export interface MountTreeOptions {
  /**
   * Put a throwaway writable layer on top (for a build root whose tools
   * write scratch files); its changes are discarded on unmount.
   */
  writable?: boolean;
  /**
   * Mount here (an existing empty directory) instead of a private mount
   * point of the store. The mount then takes the propagation of the
   * target's parent mount — e.g. the engine's per-build peer group.
   */
  target?: string;
}

export async function mountTree(ctx: StoreContext, key: string, options: MountTreeOptions = {}): Promise<MountedTree> {
  const hold = await ctx.holds.hold(key);
  let target: string | undefined;
  let scratch: string | undefined;
  let mounted = false;
  const cleanup = async () => {
    if (mounted) await unmount(target as string, { lazy: true });
    mounted = false;
    if (options.target === undefined && target !== undefined) await rmdir(target).catch(() => undefined);
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
    hold.release();
  };
  try {
    if (options.target !== undefined) {
      target = options.target;
      await ctx.run.journalMount(target);
    } else {
      target = await ctx.run.privateDir('t');
    }
    let upper: { dir: string; work: string } | undefined;
    if (options.writable === true) {
      scratch = join(ctx.layout.tmp, ctx.run.nextName());
      upper = { dir: join(scratch, 'upper'), work: join(scratch, 'work') };
      await mkdir(upper.dir, { recursive: true });
      await mkdir(upper.work);
    }
    const lowers = hold.stack.map((info) => layerDir(ctx.layout, info.key));
    await mountLayers(ctx.run, { lowers, upper, target });
    mounted = true;
  } catch (error) {
    await cleanup();
    throw error;
  }
  let done: Promise<void> | undefined;
  const release = () => (done ??= (async () => {
    ctx.open.delete(release);
    await cleanup();
  })());
  ctx.open.add(release);
  return { key, path: target, unmount: release };
}

export interface ExportOptions {
  /** false: copy without ownership (OSBUILD_EXPORT_FORCE_NO_PRESERVE_OWNER). Default true. */
  preserveOwner?: boolean;
  /**
   * Whatever is at the destination is removed first (`rm -rf`), in the same
   * shell as the copy: re-exporting a warm build forks once, not twice.
   */
  replace?: boolean;
  /**
   * false: always copy through the merged view. Default: a stack of two or
   * more layers whose bottom layer holds 32 MiB or more is exported
   * layer-wise (layered-export.ts) when the destination is empty and
   * ownership is kept; true: whatever the bottom layer's size.
   */
  layerwise?: boolean;
  /** Told which way the tree was copied (tests, benches). */
  onRoute?: (route: 'layers' | 'view') => void;
}

/**
 * Mounts the view and copies it in one shell, run by `unshare --mount` in a
 * mount namespace of its own (private propagation): the view is never
 * visible outside it, and goes with the namespace when the copy exits,
 * however it exits (nothing to unmount, nothing for recovery). So an export
 * (the whole of a warm build's store work) forks this process once, and
 * needs no run tmpfs (run.ts mounts that only for builds).
 */
// `cp -T` copies the view onto the destination itself: into it when it is
// there (as `$t/.` into `$d/`), as a copy of the view's root when the
// replace removed it (the same directory either way: -a gives it the
// root's mode, owner and times), so a re-export needs no `mkdir`.
const EXPORT_SCRIPT = [
  't=$1; d=$2; o=$3; r=$4; shift 4',
  'if [ -n "$r" ]; then rm -rf -- "$d" || exit 102; fi',
  'mount "$@" || exit 101',
  'if [ -n "$o" ]; then exec cp -a -T --reflink=auto "$o" "$t" "$d"; else exec cp -a -T --reflink=auto "$t" "$d"; fi',
].join('\n');
const MOUNT_FAILED = 101;
const REPLACE_FAILED = 102;

/**
 * The bottom layer's size from which a stack is exported layer-wise: the
 * layer-wise way forks ~10 small tools where the view's copy forks one
 * shell, which only pays when the bottom layer's copy through overlayfs is
 * what costs (a warm export of 40 tiny stages must stay one fork).
 */
const LAYERWISE_MIN_BYTES = 32 * 2 ** 20;

/**
 * Mounts the view at `target` (here: it is read from this process, so in
 * the run's private tmpfs, not in the export's own namespace), exports
 * layer-wise (layered-export.ts), unmounts. False: not done that way, and
 * the destination is empty again.
 */
async function exportThroughLayers(lowers: readonly string[], view: { args: readonly string[]; cwd?: string }, target: string, destination: string): Promise<boolean> {
  // The view's arguments end with its mount point.
  await runTool('mount', [...view.args.slice(0, -1), target], { cwd: view.cwd, reason: 'mount' });
  let done = false;
  try {
    done = await exportByLayers(lowers, target, destination);
  } finally {
    await unmount(target, { lazy: true });
  }
  if (!done) {
    for (const name of await readdir(destination)) await rm(join(destination, name), { recursive: true, force: true });
  }
  return done;
}

/** `cp -a --reflink=auto <merged tree>/. <destination>/`, creating destination. */
export async function exportTree(
  ctx: StoreContext,
  key: string,
  destination: string,
  options: ExportOptions = {},
): Promise<void> {
  const hold = await ctx.holds.hold(key);
  // The layers' links and the mount point, in a scratch dir of this run (removed at close, or by recovery).
  const scratch = join(ctx.layout.tmp, ctx.run.nextName());
  const target = join(scratch, 't');
  let made = false;
  try {
    mkdirSync(target, { recursive: true });
    made = true;
    const lowers = hold.stack.map((info) => layerDir(ctx.layout, info.key));
    const view = viewMountCommand(lowers, target, scratch);
    const ownership = options.preserveOwner === false ? '--no-preserve=ownership' : '';
    // Nothing there (the usual case): nothing to remove, one stat.
    const replace = options.replace === true && existsSync(destination) ? 'replace' : '';
    try {
      await naming(destination, `exporting object ${key}`, async () => {
        // Sync, as every step of a warm export here: one mkdir(2), and node:fs/promises is not loaded for it.
        mkdirSync(destination, { recursive: true });
        const bottomBytes = hold.stack[hold.stack.length - 1]?.size ?? 0;
        if (lowers.length > 1 && options.layerwise !== false && options.preserveOwner !== false && (bottomBytes >= LAYERWISE_MIN_BYTES || options.layerwise === true)) {
          if (replace !== '') {
            await runTool('rm', ['-rf', '--', destination]);
            await mkdir(destination);
          }
          if ((await readdir(destination)).length === 0) {
            const mountPoint = await ctx.run.privateDir('t');
            try {
              if (await exportThroughLayers(lowers, view, mountPoint, destination)) {
                options.onRoute?.('layers');
                return;
              }
            } finally {
              await rmdir(mountPoint).catch(() => undefined);
            }
          }
        }
        options.onRoute?.('view');
        try {
          await runTool('unshare', ['--mount', '--propagation', 'private', '--', 'sh', '-c', EXPORT_SCRIPT, 'sh', target, destination, ownership, replace, ...view.args], { cwd: view.cwd });
        } catch (error) {
          const status = (error as { cause?: { code?: unknown } }).cause?.code;
          const stderr = isStoreError(error) ? String(error.details['stderr'] ?? '') : '';
          const [what, reason] =
            status === MOUNT_FAILED
              ? ([`mount ${view.args.join(' ')}`, 'mount'] as const)
              : status === REPLACE_FAILED
                ? ([`rm -rf -- ${destination}`, 'layout'] as const)
                : /^unshare: /m.test(stderr)
                  ? (['unshare --mount (a mount namespace for the export)', 'mount'] as const)
                  : ([`cp -a --reflink=auto ${ownership} ${target}/. ${destination}/`.replace('  ', ' '), 'layout'] as const);
          throw storeError(reason, `${what} failed${stderr ? `: ${stderr}` : ''}`, { cause: error, details: { stderr } });
        }
      });
    } finally {
      await view.done();
    }
  } catch (error) {
    // A partial copy must not pass for the export (a full disk stops cp midway): remove it, and say so.
    const removed = await removeTree(destination).then(() => true, () => false);
    if (error instanceof Error) error.message += removed ? `; the partial export ${destination} was removed` : `; a partial export is left at ${destination}`;
    throw error;
  } finally {
    // The namespace, and the view with it, went when the copy exited: these are plain empty dirs now.
    if (made) {
      try {
        rmdirSync(target);
        rmdirSync(scratch);
      } catch {
        // left for the run's cleanup at close
      }
    }
    hold.release();
  }
}

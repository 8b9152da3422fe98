/** Read-only (or throwaway-writable) merged views of an object, and export. */
import { mkdir, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { StoreContext } from './context.js';
import { removeTree, runTool } from './files.js';
import { objectDir } from './layout.js';
import { unmount } from './mount.js';
import { objectFiles } from './objects.js';
import { mountLayers } from './overlay.js';
import { naming } from './space.js';

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
    const lowers = hold.stack.map((info) => objectFiles(objectDir(ctx.layout, info.key)).layer);
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
}

/** `cp -a --reflink=auto <merged tree>/. <destination>/`, creating destination. */
export async function exportTree(
  ctx: StoreContext,
  key: string,
  destination: string,
  options: ExportOptions = {},
): Promise<void> {
  const tree = await mountTree(ctx, key);
  try {
    const ownership = options.preserveOwner === false ? ['--no-preserve=ownership'] : [];
    await naming(destination, `exporting object ${key}`, async () => {
      await mkdir(destination, { recursive: true });
      await runTool('cp', ['-a', '--reflink=auto', ...ownership, `${tree.path}/.`, `${destination}/`]);
    });
  } catch (error) {
    // A partial copy must not pass for the export (a full disk stops cp midway): remove it, and say so.
    const removed = await removeTree(destination).then(() => true, () => false);
    if (error instanceof Error) error.message += removed ? `; the partial export ${destination} was removed` : `; a partial export is left at ${destination}`;
    throw error;
  } finally {
    await tree.unmount();
  }
}

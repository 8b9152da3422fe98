/**
 * Merged views of a layer stack. A stack of one layer is a bind mount; more
 * layers (or a writable view) is an overlay. Layers are named in the option
 * string relative to the objects dir (`<key>/layer`) when the string fits in
 * a page that way, else by short symlinks ("0", "1", … newest first; "u", "w") in a link dir
 * of the run's private tmpfs, and `mount` runs there: the kernel resolves the
 * relative names against its working directory, so the string stays about
 * 4 bytes per layer whatever the store's path, and the one-page limit allows
 * far more layers than the kernel's own limit of 500.
 */
import { symlinkSync, unlinkSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { storeError } from './errors.js';
import { bindMount, mountOverlay } from './mount.js';
import type { Run } from './run.js';
import { overlayFeatures } from './userns.js';

/**
 * The option string's budget: mount(2) takes one page (4096 bytes, with
 * its NUL); the rest of the string (features, `upperdir=…`) fits in what
 * is left.
 */
const OPTIONS_BUDGET = 3900;

/**
 * The layers (and upper, work dirs) named relative to their common parent
 * (the store's objects/ dir: `<key>/layer`, ~70 bytes a layer) when the
 * option string fits in a page that way: mount then runs in that dir and
 * no link is made or removed (a stack of 40 layers made and unlinked 40
 * symlinks per mount, ~0.1–0.3 ms of ext4 journal work each). Null when it
 * does not fit, or a name holds a character the option syntax gives a
 * meaning to (`,` `:` `\\` `=`): then links.
 */
function relativeNames(lowers: readonly string[], upper?: { readonly dir: string; readonly work: string }): { cwd: string; lowers: string[]; upper?: { dir: string; work: string } } | null {
  const cwd = dirname(dirname(lowers[0] as string));
  const name = (path: string) => relative(cwd, path);
  const names = lowers.map(name);
  const up = upper === undefined ? undefined : { dir: name(upper.dir), work: name(upper.work) };
  const all = up === undefined ? names : [...names, up.dir, up.work];
  let length = 0;
  for (const n of all) {
    if (n === '' || /[,:\\=]/.test(n)) return null;
    length += n.length + 1;
  }
  return length <= OPTIONS_BUDGET ? { cwd, lowers: names, ...(up === undefined ? {} : { upper: up }) } : null;
}

/** The kernel's OVL_MAX_STACK. */
export const KERNEL_MAX_LAYERS = 500;

/**
 * redirect_dir=on: renaming a directory that comes from a lower layer works
 * (stages written in Node would otherwise get EXDEV from fs.rename); the
 * redirect xattr is part of the layer and is followed when it is a lower
 * layer later. metacopy=off: a copied-up file carries its data, so a layer
 * never depends on data below it for a file it changed. index=off: layers are
 * combined in ever new stacks, which the index's origin checks would refuse.
 */
const OVERLAY_FEATURES = 'redirect_dir=on,metacopy=off,index=off';
/** In a user namespace (rootless builds): metadata in user.overlay.* xattrs, which excludes redirect_dir (userns.ts). */
const OVERLAY_FEATURES_USERNS = 'userxattr,metacopy=off,index=off';

export interface LayerMount {
  /** Layer dirs, newest first. */
  readonly lowers: readonly string[];
  /** Writable upper layer and its work dir (same filesystem); absent: read-only view. */
  readonly upper?: { readonly dir: string; readonly work: string };
  readonly target: string;
}

export async function mountLayers(run: Run, spec: LayerMount): Promise<void> {
  const { lowers, upper, target } = spec;
  if (lowers.length > KERNEL_MAX_LAYERS) {
    throw storeError('layout', `a stack of ${lowers.length} layers exceeds the kernel's limit of ${KERNEL_MAX_LAYERS}`);
  }
  if (upper === undefined && lowers.length === 1) return bindMount(lowers[0] as string, target, true);
  if (upper !== undefined && lowers.length === 0) return bindMount(upper.dir, target, false);
  if (lowers.length === 0) throw storeError('usage', 'nothing to mount: no layers');
  const command = await overlayCommand(run, spec);
  try {
    await mountOverlay(command.options, target, command.cwd);
  } finally {
    await command.done();
  }
}

/** The `mount` arguments (run in `cwd`) of a read-only view of a stack, for a caller that runs mount itself (tree.ts exportTree). */
export interface ViewMountCommand {
  readonly args: readonly string[];
  readonly cwd?: string;
  /** Removes the links once the mount is made (or failed). */
  done(): Promise<void>;
}

/**
 * The view's mount arguments, with its layers linked in `links` (an empty
 * directory the caller owns and removes; it need not be in the run's
 * tmpfs: nothing is mounted there, and the mount is made in a mount
 * namespace of its own).
 */
export function viewMountCommand(lowers: readonly string[], target: string, links: string): ViewMountCommand {
  if (lowers.length === 0 || lowers.length > KERNEL_MAX_LAYERS) throw storeError('layout', `cannot view a stack of ${lowers.length} layers`);
  if (lowers.length === 1) return { args: ['--bind', '-o', 'ro', '--make-private', lowers[0] as string, target], done: async () => undefined };
  const features = overlayFeatures(OVERLAY_FEATURES, OVERLAY_FEATURES_USERNS);
  const named = relativeNames(lowers);
  if (named !== null) {
    return { args: ['-t', 'overlay', '-o', `lowerdir=${named.lowers.join(':')},${features}`, '--make-private', 'overlay', target], cwd: named.cwd, done: async () => undefined };
  }
  // Sync: hundreds of tiny syscalls, cheaper than as many thread-pool round trips.
  lowers.forEach((dir, index) => symlinkSync(dir, join(links, String(index))));
  const options = `lowerdir=${lowers.map((_, index) => String(index)).join(':')},${features}`;
  return {
    args: ['-t', 'overlay', '-o', options, '--make-private', 'overlay', target],
    cwd: links,
    done: async () =>
      lowers.forEach((_, index) => {
        try {
          unlinkSync(join(links, String(index)));
        } catch {
          // gone already
        }
      }),
  };
}

async function overlayCommand(run: Run, spec: LayerMount): Promise<{ options: string; cwd: string; done(): Promise<void> }> {
  const { lowers, upper } = spec;
  const features = overlayFeatures(OVERLAY_FEATURES, OVERLAY_FEATURES_USERNS);
  const named = relativeNames(lowers, upper);
  if (named !== null) {
    // volatile: see below.
    const up = named.upper === undefined ? '' : `,upperdir=${named.upper.dir},workdir=${named.upper.work},volatile`;
    return { options: `lowerdir=${named.lowers.join(':')}${up},${features}`, cwd: named.cwd, done: async () => undefined };
  }

  const links = await run.privateDir('l');
  try {
    // Sync: hundreds of tiny syscalls, cheaper than as many thread-pool round trips.
    lowers.forEach((dir, index) => symlinkSync(dir, join(links, String(index))));
    let options = `lowerdir=${lowers.map((_, index) => String(index)).join(':')}`;
    if (upper !== undefined) {
      symlinkSync(upper.dir, join(links, 'u'));
      symlinkSync(upper.work, join(links, 'w'));
      // volatile: the unmount does not sync the upper file system. Without
      // it, the first unmount after a big stage wrote back everything dirty
      // on that file system (1.2 s after the untar of a 600 MB tree, while
      // every other unmount took 3-6 ms), a sync the store never relied on:
      // an object is published by a rename, unsynced, like a pulled one,
      // and the work dir (where overlay marks a volatile mount) is discarded
      // at commit or abort, never mounted again.
      options += ',upperdir=u,workdir=w,volatile';
    }
    // A read-only overlay needs two lower layers; one layer plus upper is fine.
    // The mounted overlay holds the layers themselves, not the links: they go once it is made.
    return { options: `${options},${overlayFeatures(OVERLAY_FEATURES, OVERLAY_FEATURES_USERNS)}`, cwd: links, done: () => rm(links, { recursive: true, force: true }) };
  } catch (error) {
    await rm(links, { recursive: true, force: true });
    throw error;
  }
}

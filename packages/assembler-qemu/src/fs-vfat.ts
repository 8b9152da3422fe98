import { closeSync, existsSync, ftruncateSync, lstatSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { copyInto, hostFileToFatEntry, missingParents, mtoolsEnv, treeToFatEntries, writeFat, type FatEntry } from '@osbuild-ts/image-kit';
import { runTool } from '@osbuild-ts/plugin-kit';
import type { BuildContext } from './fs-ext4.js';
import type { FilesystemPlan } from './layout.js';

/** A file that is not in the tree but goes onto the file system (the EFI loader). */
export interface ExtraFile {
  /** Path on the file system, `/`-separated, no leading slash. */
  path: string;
  /** Host file with the content. */
  source: string;
}

/**
 * Builds a FAT file system with `mkfs.vfat` on a file of the partition's
 * size, fills it with mtools (image-kit's writeFat) and copies it into the
 * image: the kernel need not know vfat and nothing is mounted. Entries are
 * written in sorted order, so the directories come out the same every
 * time; with a source epoch, mkfs.vfat's `--invariant` and mtools'
 * SOURCE_DATE_EPOCH fix the times they would take from the clock, and no
 * time on the file system is later than the epoch. FAT has no owners,
 * modes, links or special files: a symlink, device, fifo or socket in its
 * part of the tree is an error, as copying it onto a mounted FAT would be.
 */
export function buildVfat(ctx: BuildContext, plan: FilesystemPlan, extra: readonly ExtraFile[] = []): void {
  // A file of the partition's size, as a loop device of it would be: given
  // --offset into the whole image, mkfs.fat 4.2 sizes the FAT by the file's
  // size, not by the block count it is told.
  const fsImage = join(ctx.work, `vfat-${plan.partition.index}.img`);
  const fd = openSync(fsImage, 'w');
  ftruncateSync(fd, plan.size);
  closeSync(fd);
  const scratch = join(ctx.work, `vfat-${plan.partition.index}.scratch`);
  mkdirSync(scratch);
  try {
    fill(ctx, plan, fsImage, scratch, extra);
    copyInto(fsImage, ctx.image, plan.offset);
  } finally {
    rmSync(fsImage, { force: true });
    rmSync(scratch, { recursive: true, force: true });
  }
}

function fill(ctx: BuildContext, plan: FilesystemPlan, fsImage: string, scratch: string, extra: readonly ExtraFile[]): void {
  const { filesystem: fs } = plan;
  // --invariant first: after it, it would replace the volume ID given with -i.
  const args = ctx.epoch !== null ? ['--invariant'] : [];
  args.push('--mbr=n', '-i', fs.uuid.replaceAll('-', ''));
  if (fs.label) args.push('-n', fs.label);
  runTool('mkfs.vfat', [...args, fsImage], { env: mtoolsEnv(ctx.epoch) });

  const source = join(ctx.tree, plan.mountpoint);
  const entries: FatEntry[] = [];
  if (existsSync(source) && lstatSync(source).isDirectory()) {
    entries.push(...treeToFatEntries(source, { prune: new Set(plan.nested), epoch: ctx.epoch, display: plan.mountpoint }));
  }
  const now = ctx.epoch ?? Math.floor(Date.now() / 1000);
  const files = extra.map((file) => hostFileToFatEntry(file.source, file.path, ctx.epoch, file.source));
  // Mount points below this file system that the tree lacks are made, as mounting there would have.
  const mountpoints = plan.nested.map((path): FatEntry => ({ path, kind: 'dir', mtime: now }));
  const all = [...entries, ...mountpoints, ...files];
  all.push(...missingParents(all, () => false, now));
  // A fresh file system: nothing to list.
  writeFat({ image: fsImage, entries: all, existing: new Map(), scratch, epoch: ctx.epoch, display: plan.mountpoint });
}

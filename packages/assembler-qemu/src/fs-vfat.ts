import { closeSync, existsSync, ftruncateSync, lstatSync, openSync, rmSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { runTool } from '@osbuild-ts/plugin-kit';
import { copyInto } from './copy-into.js';
import type { BuildContext } from './fs-ext4.js';
import type { FilesystemPlan } from './layout.js';
import { walkTree } from './walk-tree.js';

/** A file that is not in the tree but goes onto the file system (the EFI loader). */
export interface ExtraFile {
  /** Path on the file system, `/`-separated, no leading slash. */
  path: string;
  /** Host file with the content. */
  source: string;
}

/**
 * Builds a FAT file system with `mkfs.vfat` on a file of the partition's
 * size, fills it with mtools (`mmd`, `mcopy -i`) and copies it into the
 * image: the kernel need not know vfat and nothing is mounted. Directories
 * are made and files copied in sorted order, so the directory entries come
 * out the same every time; with a source epoch,
 * mkfs.vfat's `--invariant` and mtools' SOURCE_DATE_EPOCH fix the times
 * they would take from the clock. FAT has no owners, modes, links or
 * special files: a symlink, device, fifo or socket in its part of the tree
 * is an error, as copying it onto a mounted FAT file system would be.
 */
export function buildVfat(ctx: BuildContext, plan: FilesystemPlan, extra: readonly ExtraFile[] = []): void {
  const { filesystem: fs } = plan;
  // A file of the partition's size, as a loop device of it would be: given
  // --offset into the whole image, mkfs.fat 4.2 sizes the FAT by the file's
  // size, not by the block count it is told.
  const fsImage = join(ctx.work, `vfat-${plan.partition.index}.img`);
  const fd = openSync(fsImage, 'w');
  ftruncateSync(fd, plan.size);
  closeSync(fd);
  try {
    fill(ctx, plan, fsImage, extra);
    copyInto(fsImage, ctx.image, plan.offset);
  } finally {
    rmSync(fsImage, { force: true });
  }
}

function fill(ctx: BuildContext, plan: FilesystemPlan, fsImage: string, extra: readonly ExtraFile[]): void {
  const { filesystem: fs } = plan;
  // --invariant first: after it, it would replace the volume ID given with -i.
  const args = ctx.epoch !== null ? ['--invariant'] : [];
  args.push('--mbr=n', '-i', fs.uuid.replaceAll('-', ''));
  if (fs.label) args.push('-n', fs.label);
  runTool('mkfs.vfat', [...args, fsImage], { env: mtoolsEnv(ctx) });

  const source = join(ctx.tree, plan.mountpoint);
  const dirs: string[] = [];
  /** Directory (on the fs) → host files to copy into it, in order. */
  const files = new Map<string, string[]>();
  const seen = new Map<string, string>();
  const add = (path: string) => {
    // FAT compares names without case: two names that only differ in case would collide.
    const key = path.toUpperCase();
    const clash = seen.get(key);
    if (clash !== undefined) throw new Error(`${plan.mountpoint}: ${clash} and ${path} are one name on FAT, which ignores case`);
    seen.set(key, path);
  };
  if (existsSync(source) && lstatSync(source).isDirectory()) {
    const prune = new Set(plan.nested);
    for (const entry of walkTree(source, prune)) {
      add(entry.path);
      if (entry.stat.isDirectory()) dirs.push(entry.path);
      else if (entry.stat.isFile()) queue(files, entry.path, join(source, entry.path));
      else throw new Error(`${join(plan.mountpoint, entry.path)}: FAT cannot hold ${kind(entry.stat)}`);
    }
  }
  for (const file of extra) {
    const parts = file.path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (!dirs.some((d) => d.toUpperCase() === dir.toUpperCase())) {
        add(dir);
        dirs.push(dir);
      }
    }
    add(file.path);
  }
  for (const nested of plan.nested) {
    if (!dirs.includes(nested)) dirs.push(nested);
  }

  const target = fsImage;
  const env = mtoolsEnv(ctx);
  // One mmd for all directories (parents first), then one mcopy per directory.
  const ordered = [...new Set(dirs)].sort((a, b) => a.split('/').length - b.split('/').length);
  for (let i = 0; i < ordered.length; i += 500) {
    runTool('mmd', ['-i', target, ...ordered.slice(i, i + 500).map((d) => `::/${d}`)], { env });
  }
  for (const [dir, entries] of files) {
    for (let i = 0; i < entries.length; i += 500) {
      const chunk = entries.slice(i, i + 500);
      // -m keeps each file's mtime; -D o never asks about clashes (there are none, see above).
      runTool('mcopy', ['-i', target, '-m', '-D', 'o', ...chunk, `::/${dir}${dir === '' ? '' : '/'}`], { env });
    }
  }
  for (const file of extra) runTool('mcopy', ['-i', target, '-m', '-D', 'o', file.source, `::/${file.path}`], { env });
}

function queue(files: Map<string, string[]>, path: string, source: string): void {
  // mcopy names each copy after its source, which is the tree's own name here.
  const slash = path.lastIndexOf('/');
  const dir = slash < 0 ? '' : path.slice(0, slash);
  const list = files.get(dir) ?? [];
  list.push(source);
  files.set(dir, list);
}

function kind(stat: Stats): string {
  if (stat.isSymbolicLink()) return 'symlinks';
  if (stat.isBlockDevice() || stat.isCharacterDevice()) return 'device nodes';
  if (stat.isFIFO()) return 'fifos';
  if (stat.isSocket()) return 'sockets';
  return 'this kind of file';
}

function mtoolsEnv(ctx: BuildContext): Record<string, string> {
  // No user or system mtools configuration, no drive checks; times from the epoch.
  const env: Record<string, string> = { MTOOLSRC: '/dev/null', MTOOLS_SKIP_CHECK: '1' };
  if (ctx.epoch !== null) env['SOURCE_DATE_EPOCH'] = String(ctx.epoch);
  return env;
}

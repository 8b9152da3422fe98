import { existsSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { buildExt4 as writeExt4, type FilesystemBuild } from '@osbuild-ts/image-kit';
import type { FilesystemPlan } from './layout.js';

export interface BuildContext {
  image: string;
  /** The tree (read-only). */
  tree: string;
  epoch: number | null;
  /** A scratch directory for this build. */
  work: string;
  log: (line: string) => void;
}

/** What image-kit needs to write the partition's file system: its range, identity and part of the tree. */
export function filesystemBuild(ctx: BuildContext, plan: FilesystemPlan): FilesystemBuild {
  const source = join(ctx.tree, plan.mountpoint);
  const { filesystem: fs } = plan;
  return {
    image: ctx.image,
    offset: plan.offset,
    size: plan.size,
    uuid: fs.uuid,
    ...(fs.label ? { label: fs.label } : {}),
    source: existsSync(source) && lstatSync(source).isDirectory() ? source : null,
    nested: plan.nested,
    epoch: ctx.epoch,
    work: ctx.work,
    name: `${fs.type}-${plan.partition.index}`,
    log: ctx.log,
  };
}

/**
 * ext4 straight into the partition's byte range with `mkfs.ext4 -d`,
 * nothing mounted (image-kit's buildExt4).
 */
export function buildExt4(ctx: BuildContext, plan: FilesystemPlan): void {
  writeExt4(filesystemBuild(ctx, plan));
}

import { buildBtrfs as writeBtrfs } from '@osbuild-ts/image-kit';
import { filesystemBuild, type BuildContext } from './fs-ext4.js';
import type { FilesystemPlan } from './layout.js';

/** btrfs with `mkfs.btrfs --rootdir`, nothing mounted (image-kit's buildBtrfs), copied into the partition. */
export function buildBtrfs(ctx: BuildContext, plan: FilesystemPlan): void {
  writeBtrfs(filesystemBuild(ctx, plan));
}

import { buildXfs as writeXfs } from '@osbuild-ts/image-kit';
import { filesystemBuild, type BuildContext } from './fs-ext4.js';
import type { FilesystemPlan } from './layout.js';

/** XFS from a protofile, nothing mounted (image-kit's buildXfs), copied into the partition. */
export function buildXfs(ctx: BuildContext, plan: FilesystemPlan): void {
  writeXfs(filesystemBuild(ctx, plan));
}

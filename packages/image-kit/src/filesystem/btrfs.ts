import { chmodSync, chownSync, closeSync, ftruncateSync, lstatSync, mkdirSync, openSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { runTool } from '@osbuild-ts/plugin-kit';
import type { FilesystemBuild } from './build.js';
import { copyInto } from './copy-into.js';

/**
 * Builds a btrfs file system with `mkfs.btrfs --rootdir`, nothing mounted,
 * in a file of the partition's size that is then copied into the image.
 * mkfs.btrfs cannot leave anything out, so when other file systems are
 * mounted below this one its part of the tree is first copied (`cp -a`)
 * to a scratch directory without them. Not bit-for-bit reproducible:
 * mkfs.btrfs takes inode ctimes from the tree as it is on this host.
 */
export function buildBtrfs(fs: FilesystemBuild): void {
  const { source } = fs;
  let content: string | null = source;
  const staging = join(fs.work, `${fs.name}.root`);
  // Straight into the image when the file system is all of it (rawfs).
  const whole = fs.offset === 0;
  const fsImage = whole ? fs.image : join(fs.work, `${fs.name}.img`);
  try {
    if (source !== null && fs.nested.length > 0) {
      content = stageWithout(source, fs.nested, staging);
    }
    if (!whole) {
      const fd = openSync(fsImage, 'w');
      ftruncateSync(fd, fs.size);
      closeSync(fd);
    }
    const args = ['-q', '-f', '-K', '-U', fs.uuid];
    if (fs.label) args.push('-L', fs.label);
    if (content) args.push('--rootdir', content);
    runTool('mkfs.btrfs', [...args, fsImage]);
    if (!whole) copyInto(fsImage, fs.image, fs.offset);
  } finally {
    if (!whole) rmSync(fsImage, { force: true });
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * A copy of `source` at `target` in which the `nested` directories
 * (relative paths) are empty, made where missing. The directories on the
 * way to them are made here with their owner, mode and times; everything
 * else is `cp -a`.
 */
function stageWithout(source: string, nested: readonly string[], target: string): string {
  mkdirSync(target);
  for (const name of readdirSync(source)) {
    const from = join(source, name);
    const to = join(target, name);
    const deeper = nested.filter((n) => n.startsWith(`${name}/`)).map((n) => n.slice(name.length + 1));
    if (nested.includes(name)) {
      mkdirSync(to);
      copyMetadata(from, to);
    } else if (deeper.length > 0 && lstatSync(from).isDirectory()) stageWithout(from, deeper, to);
    else runTool('cp', ['-a', '--reflink=auto', '--no-target-directory', from, to]);
  }
  for (const n of nested) mkdirSync(join(target, n), { recursive: true });
  copyMetadata(source, target);
  return target;
}

function copyMetadata(from: string, to: string): void {
  const stat = lstatSync(from);
  chownSync(to, stat.uid, stat.gid);
  chmodSync(to, stat.mode & 0o7777);
  utimesSync(to, stat.atime, stat.mtime);
}

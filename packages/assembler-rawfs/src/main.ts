#!/usr/bin/env node
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FILESYSTEM_TOOLS, buildBtrfs, buildExt4, buildXfs, type FilesystemBuild } from '@osbuild-ts/image-kit';
import { outputPath, requireTool, runStage, sourceEpoch } from '@osbuild-ts/plugin-kit';
import type { RawfsOptions } from './rawfs-options.js';

const BUILDERS = { ext4: buildExt4, xfs: buildXfs, btrfs: buildBtrfs } as const;

await runStage<RawfsOptions>((args) => {
  const input = args.inputs['tree'];
  if (!input) throw new Error('no input named "tree" (the built tree a v1 assembler receives)');
  const { options } = args;
  const type = options.fs_type ?? 'ext4';
  const build = BUILDERS[type];
  if (!build) throw new Error(`fs_type "${String(type)}" is not one of ext4, xfs, btrfs`);
  if (!Number.isSafeInteger(options.size) || options.size <= 0) throw new Error(`size ${options.size}: expected a positive number of bytes`);
  for (const tool of FILESYSTEM_TOOLS[type]) requireTool(tool.command, tool.package);
  const image = outputPath(args.tree, options.filename);
  const work = mkdtempSync(join(dirname(image), '.rawfs-'));
  try {
    // A sparse file of the size asked for, as `truncate --size` makes it;
    // the file system is written into it from the tree, nothing mounted.
    const fd = openSync(image, 'w');
    ftruncateSync(fd, options.size);
    closeSync(fd);
    const spec: FilesystemBuild = {
      image,
      offset: 0,
      size: options.size,
      uuid: options.root_fs_uuid,
      source: input.path,
      nested: [],
      epoch: sourceEpoch(args),
      work,
      name: type,
      log: (line) => process.stdout.write(`${line}\n`),
    };
    try {
      build(spec);
    } catch (error) {
      rmSync(image, { force: true });
      throw new Error(`${type} image of ${options.size} bytes: ${(error as Error).message}`, { cause: error });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

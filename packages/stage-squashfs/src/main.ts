#!/usr/bin/env node
import { mkdirSync } from 'node:fs';
import { dirname, posix } from 'node:path';
import { runStage, runTool, resolveLocation } from '@osbuild-ts/plugin-kit';
import { sourceEpoch } from '@osbuild-ts/image-kit';
import { mksquashfsArguments } from './mksquashfs-arguments.js';
import type { SquashfsOptions } from './options.js';

await runStage<SquashfsOptions>((args) => {
  const options = args.options;
  let source: string;
  if (options.source !== undefined) {
    source = resolveLocation(args, options.source);
  } else {
    const input = args.inputs['tree'];
    if (!input) throw new Error('no input named "tree" (the tree to put in the squashfs, an org.osbuild.tree input)');
    source = input.path;
  }
  const relative = posix.normalize(options.filename.replace(/^\/+/, ''));
  if (relative === '' || relative === '.' || relative.endsWith('/') || relative.split('/').includes('..')) {
    throw new Error(`filename "${options.filename}": expected a file name inside the tree`);
  }
  const target = posix.join(args.tree, relative);
  mkdirSync(dirname(target), { recursive: true });
  const epoch = sourceEpoch(args);
  // mksquashfs refuses SOURCE_DATE_EPOCH together with -mkfs-time and
  // -all-time, which say the same thing here and also hold where the epoch
  // comes from the arguments' meta alone.
  delete process.env['SOURCE_DATE_EPOCH'];
  runTool('mksquashfs', mksquashfsArguments(options, source, target, epoch));
});

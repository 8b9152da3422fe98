#!/usr/bin/env node
import { spawnSync } from 'node:child_process';
import { posix } from 'node:path';
import { newestMtime, outputPath, requireTool, resolveLocation, runStage, runTool, sourceEpoch } from '@osbuild-ts/plugin-kit';
import { erofsArguments } from './erofs-arguments.js';
import type { ErofsOptions } from './erofs-options.js';
import { stableUuid } from './stable-uuid.js';

await runStage<ErofsOptions>((args) => {
  requireTool('mkfs.erofs', 'erofs-utils');
  const { options } = args;
  let source: string;
  if (options.source !== undefined) source = posix.normalize(resolveLocation(args, options.source));
  else {
    const input = args.inputs['tree'];
    if (!input) throw new Error('no input named "tree" (the tree to put in the image, an org.osbuild.tree input) and no "source" option');
    source = input.path;
  }
  const method = options.compression?.method;
  if (method) {
    const help = spawnSync('mkfs.erofs', ['--help'], { encoding: 'utf8' });
    const available = /Available compressors are: ?(.*)/.exec(`${help.stdout}${help.stderr}`)?.[1]?.trim().split(/[ ,]+/).filter(Boolean);
    if (available && !available.includes(method)) {
      throw new Error(`compression.method "${method}": this build root's mkfs.erofs (erofs-utils) has only ${available.join(', ') || 'no compressors'}; use one of those or a build root with a newer erofs-utils`);
    }
  }
  const target = outputPath(args.tree, options.filename);
  // mkfs.erofs takes its build time from SOURCE_DATE_EPOCH and clamps file
  // times to it. Without a source epoch the newest time in the tree is
  // used: nothing is clamped, and the image still does not carry the clock.
  const epoch = sourceEpoch(args) ?? newestMtime(source);
  const uuid = stableUuid(`${args.meta.id} ${options.filename}`);
  runTool('mkfs.erofs', erofsArguments(options, target, source, uuid), { env: { SOURCE_DATE_EPOCH: String(epoch) } });
});

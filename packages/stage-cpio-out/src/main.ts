#!/usr/bin/env node
import { outputPath, requireTool, runStage, runTool, sourceEpoch } from '@osbuild-ts/plugin-kit';
import { CLAMPABLE, clampArchiveMtimes } from './clamp-mtimes.js';
import { cpioArguments } from './cpio-arguments.js';
import type { CpioOptions } from './cpio-options.js';
import { memberList } from './member-list.js';

await runStage<CpioOptions>((args) => {
  const input = args.inputs['tree'];
  if (!input) throw new Error('no input named "tree" (the tree to archive, an org.osbuild.tree input)');
  requireTool('cpio', 'cpio');
  const archive = outputPath(args.tree, args.options.filename);
  const names = memberList(input.path, (args.options['root-node'] ?? 'include') === 'include');
  if (names.length === 0) throw new Error('root-node "omit": the input tree is empty, so there is nothing to archive');
  runTool('cpio', cpioArguments(args.options, archive, input.path), { input: names.join('\0') });
  // With a source epoch, no member is dated later than it: the same tree
  // then gives the same bytes whenever its directories were made.
  const epoch = sourceEpoch(args);
  const format = args.options.format ?? 'newc';
  if (epoch !== null && CLAMPABLE.has(format)) clampArchiveMtimes(archive, format, epoch);
});

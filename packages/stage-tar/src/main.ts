#!/usr/bin/env node
import { runStage, runTool, sourceEpoch } from '@osbuild-ts/plugin-kit';
import { archiveMembers } from './archive-members.js';
import { archivePath } from './archive-path.js';
import { tarArguments } from './tar-arguments.js';
import type { TarOptions } from './tar-options.js';

await runStage<TarOptions>((args) => {
  const input = args.inputs['tree'];
  if (!input) throw new Error('no input named "tree" (the tree to archive, an org.osbuild.tree input)');
  const archive = archivePath(args.tree, args.options.filename);
  const members = archiveMembers(args.options, input.path);
  // xz then compresses on every core, as upstream asks it to; xz 5.4 and
  // later then write the same bytes whatever the number of cores. gzip
  // reads from tar's pipe, so it stores no name and no time.
  runTool('tar', tarArguments(args.options, archive, input.path, members, sourceEpoch(args)), { env: { XZ_OPT: '--threads 0' } });
});

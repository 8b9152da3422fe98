#!/usr/bin/env node
import { runStage, runTool } from '@osbuild-ts/plugin-kit';
import { archiveMembers } from './archive-members.js';
import { archivePath } from './archive-path.js';
import { tarArguments } from './tar-arguments.js';
import type { TarOptions } from './tar-options.js';

await runStage<TarOptions>((args) => {
  const input = args.inputs['tree'];
  if (!input) throw new Error('no input named "tree" (the tree to archive, an org.osbuild.tree input)');
  const archive = archivePath(args.tree, args.options.filename);
  const members = archiveMembers(args.options, input.path);
  // xz then compresses on every core, as upstream asks it to.
  runTool('tar', tarArguments(args.options, archive, input.path, members), { env: { XZ_OPT: '--threads 0' } });
});

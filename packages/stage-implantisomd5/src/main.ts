#!/usr/bin/env node
import { existsSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import { runStage, runTool } from '@osbuild-ts/plugin-kit';

interface ImplantOptions {
  filename: string;
}

await runStage<ImplantOptions>((args) => {
  const relative = posix.normalize('/' + args.options.filename);
  const iso = posix.join(args.tree, relative);
  if (!existsSync(iso) || !statSync(iso).isFile()) {
    throw new Error(`filename "${args.options.filename}": no such ISO in the tree (write it first, e.g. with org.osbuild.xorrisofs)`);
  }
  // As upstream: in the tree, so nothing of the host's path gets into the ISO.
  runTool('implantisomd5', [iso], { cwd: args.tree });
});

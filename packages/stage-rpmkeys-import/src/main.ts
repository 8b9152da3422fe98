#!/usr/bin/env node
import { join } from 'node:path';
import { requireTool, runStage, runTool } from '@osbuild-ts/plugin-kit';

await runStage((args) => {
  requireTool('rpmkeys', 'rpm');
  const keys = args.inputs['keys'];
  if (!keys) throw new Error('no input named "keys": give the key files as an org.osbuild.files input named "keys"');
  const files = Object.keys(keys.data?.files ?? {});
  // One rpmkeys per file, in the input's order, as upstream: a bad key names itself.
  for (const name of files) {
    runTool('rpmkeys', ['--verbose', '--root', args.tree, '--import', join(keys.path, name)]);
    process.stdout.write(`imported key '${name}'\n`);
  }
});

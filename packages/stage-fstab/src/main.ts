#!/usr/bin/env node
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runStage } from '@osbuild-ts/plugin-kit';
import type { FstabOptions } from './fstab-options.js';
import { fstabText } from './fstab-text.js';
import { deploymentRoot } from './ostree-deployment.js';

await runStage<FstabOptions>((args) => {
  let root = args.tree;
  if (args.options.ostree) {
    root = deploymentRoot(args.tree, args.options.ostree.deployment);
    process.stdout.write(`ostree support active: ${root}\n`);
  }
  // Replaces the file: entries already there are dropped, as upstream does.
  writeFileSync(join(root, 'etc/fstab'), fstabText(args.options.filesystems));
});

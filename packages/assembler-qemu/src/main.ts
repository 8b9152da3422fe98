#!/usr/bin/env node
import { runStage } from '@osbuild-ts/plugin-kit';
import { assemble } from './assemble.js';
import { sourceEpoch } from './epoch.js';
import type { QemuOptions } from './options.js';

await runStage<QemuOptions>((args) => {
  const input = args.inputs['tree'];
  if (!input) throw new Error('no input named "tree" (the built tree a v1 assembler receives)');
  assemble({
    options: args.options,
    tree: input.path,
    output: args.tree,
    epoch: sourceEpoch(args),
    log: (line) => process.stdout.write(`${line}\n`),
  });
});

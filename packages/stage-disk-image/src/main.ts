#!/usr/bin/env node
import { assemble, type AssembleInput } from '@osbuild-ts/assembler-qemu/assemble';
import { sourceEpoch } from '@osbuild-ts/assembler-qemu/epoch';
import { runStage } from '@osbuild-ts/plugin-kit';

// The tree input is mounted read-only; the image is written into this
// stage's own tree, so the pipeline exports it like any other file.
await runStage<AssembleInput['options']>((args) => {
  const input = args.inputs['tree'];
  if (!input) throw new Error('no input named "tree": give the pipeline to put on the disk as an org.osbuild.tree input');
  assemble({
    options: args.options,
    tree: input.path,
    output: args.tree,
    epoch: sourceEpoch(args),
    log: (line) => process.stdout.write(`${line}\n`),
  });
});

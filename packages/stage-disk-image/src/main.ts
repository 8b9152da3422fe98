#!/usr/bin/env node
import { assembleTreeInput, type QemuOptions } from '@osbuild-ts/assembler-qemu/assemble';
import { runStage } from '@osbuild-ts/plugin-kit';

// The tree input is mounted read-only; the image is written into this
// stage's own tree, so the pipeline exports it like any other file.
await runStage<QemuOptions>((args) => {
  assembleTreeInput(args, 'no input named "tree": give the pipeline to put on the disk as an org.osbuild.tree input');
});

#!/usr/bin/env node
import { runStage } from '@osbuild-ts/plugin-kit';
import { assembleTreeInput } from './assemble-tree-input.js';
import type { QemuOptions } from './options.js';

await runStage<QemuOptions>((args) => {
  assembleTreeInput(args, 'no input named "tree" (the built tree a v1 assembler receives)');
});

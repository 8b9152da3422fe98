#!/usr/bin/env node
import { runStage } from '@osbuild-ts/plugin-kit';
import type { Grub2Options } from './options.js';
import { writeGrubConfig } from './write-config.js';

await runStage<Grub2Options>((args) => {
  writeGrubConfig(args.tree, args.options, (line) => process.stdout.write(`${line}\n`));
});

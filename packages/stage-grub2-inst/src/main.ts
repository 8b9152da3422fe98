#!/usr/bin/env node
import { existsSync, statSync } from 'node:fs';
import { resolveLocation, runStage } from '@osbuild-ts/plugin-kit';
import { installCore } from './install-core.js';
import { checkOptions, type Grub2InstOptions } from './options.js';

await runStage<Grub2InstOptions>((args) => {
  const { options } = args;
  checkOptions(options);
  const image = resolveLocation(args, `tree:///${options.filename.replace(/^\/+/, '')}`);
  if (options.location && !(existsSync(image) && statSync(image).isFile())) {
    throw new Error(`filename ${options.filename}: no such disk image in the tree (make it first, e.g. with org.osbuild.truncate)`);
  }
  installCore(image, options, (line) => process.stdout.write(`${line}\n`));
});

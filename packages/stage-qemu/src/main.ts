#!/usr/bin/env node
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { convertWithQemuImg, type ImageFormatOptions } from '@osbuild-ts/image-kit';
import { resolveLocation, runStage } from '@osbuild-ts/plugin-kit';
import { sourceImage } from './source-image.js';

interface QemuOptions {
  filename: string;
  format: ImageFormatOptions;
}

await runStage<QemuOptions>((args) => {
  const { options } = args;
  const source = sourceImage(args);
  const target = resolveLocation(args, `tree:///${options.filename.replace(/^\/+/, '')}`);
  if (!existsSync(dirname(target)) || !statSync(dirname(target)).isDirectory()) {
    throw new Error(`filename ${options.filename}: its directory is not in the tree (make it first, e.g. with org.osbuild.mkdir)`);
  }
  convertWithQemuImg(options.format, source, target, (line) => process.stdout.write(`${line}\n`));
});

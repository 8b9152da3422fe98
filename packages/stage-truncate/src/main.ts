#!/usr/bin/env node
import { requireTool, runStage, runTool } from '@osbuild-ts/plugin-kit';
import { imagePath } from './image-path.js';

interface TruncateOptions {
  filename: string;
  size: string;
}

await runStage<TruncateOptions>((args) => {
  requireTool('truncate', 'coreutils');
  const { filename, size } = args.options;
  const file = imagePath(args.tree, filename);
  // truncate(1) is the judge of size strings, as upstream: it reads units
  // (10G, 10GiB, 10GB) and relative sizes (+1G, <, >, /, %) alike.
  try {
    runTool('truncate', ['--size', size, file]);
  } catch (error) {
    throw new Error(`could not set "${filename}" to size "${size}": ${(error as Error).message}`, { cause: error });
  }
});

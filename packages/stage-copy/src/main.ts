#!/usr/bin/env node
import { runStage, runTool } from '@osbuild-ts/plugin-kit';
import { copyPath } from './copy-path.js';
import { cpArguments } from './cp-arguments.js';

interface CopyItem {
  from: string;
  to: string;
  remove_destination?: boolean;
}

interface CopyOptions {
  paths: CopyItem[];
}

await runStage<CopyOptions>((args) => {
  for (const item of args.options.paths ?? []) {
    const source = copyPath(args, item.from);
    const destination = copyPath(args, item.to, { removeDestination: item.remove_destination ?? false });
    process.stdout.write(`copying '${source}' -> '${destination}'\n`);
    runTool('cp', cpArguments(source, destination, item.remove_destination ?? false));
  }
});

#!/usr/bin/env node
import { outputPath, requireTool, runStage, runTool, singleFileInput } from '@osbuild-ts/plugin-kit';

interface GunzipOptions {
  path: string;
}

await runStage<GunzipOptions>((args) => {
  requireTool('gunzip', 'gzip');
  const source = singleFileInput(args, 'file', 'the file to decompress');
  const target = outputPath(args.tree, args.options.path, 'path');
  runTool('gunzip', ['--stdout', source], { stdoutFile: target });
});

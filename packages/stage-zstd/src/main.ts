#!/usr/bin/env node
import { outputPath, requireTool, runStage, runTool, singleFileInput } from '@osbuild-ts/plugin-kit';

interface ZstdOptions {
  filename: string;
}

await runStage<ZstdOptions>((args) => {
  requireTool('zstd', 'zstd');
  const source = singleFileInput(args, 'file', 'the file to compress');
  const target = outputPath(args.tree, args.options.filename);
  // Upstream's command. zstd's multi-threaded output is the same bytes for
  // any number of threads, so -T0 keeps the result reproducible.
  runTool('zstd', ['--keep', '--stdout', '-T0', '-1', '--quiet', source], { stdoutFile: target });
});

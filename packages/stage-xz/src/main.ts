#!/usr/bin/env node
import { outputPath, requireTool, runStage, runTool, singleFileInput } from '@osbuild-ts/plugin-kit';

interface XzOptions {
  filename: string;
}

await runStage<XzOptions>((args) => {
  requireTool('xz', 'xz-utils');
  const source = singleFileInput(args, 'file', 'the file to compress');
  const target = outputPath(args.tree, args.options.filename);
  // Upstream's command and settings. With --threads 0, xz 5.4 and later use
  // the multi-threaded encoder even on one core, so the bytes do not depend
  // on how many cores the machine has.
  runTool('xz', ['--keep', '--stdout', '-0', source], { env: { XZ_OPT: '--threads 0' }, stdoutFile: target });
});

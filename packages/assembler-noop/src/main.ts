#!/usr/bin/env node
import { runStage } from '@osbuild-ts/plugin-kit';

// Writes nothing to its output directory; the line shows it ran, in
// upstream's words, so logs of the two read alike.
await runStage((args) => {
  process.stdout.write(`Not doing anything with these options: ${JSON.stringify(args.options)}\n`);
});

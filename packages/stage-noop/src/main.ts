#!/usr/bin/env node
import { runStage } from '@osbuild-ts/plugin-kit';

// Changes nothing; printing the options makes a manifest's plumbing visible.
await runStage((args) => {
  process.stdout.write(`${JSON.stringify(args.options, null, 2)}\n`);
});

#!/usr/bin/env node
import { run } from '../dist/bundle/main.js';

// A closed pipe (`osbuild … | head`) is the reader's choice, not our failure.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await run(process.argv.slice(2));

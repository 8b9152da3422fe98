#!/usr/bin/env -S node --max-semi-space-size=1
'use strict';
// The flag: a cold build allocates fast enough that V8 grows its young
// generation to 16 MiB semi-spaces (peak RSS 95 MB at 160 stages); with 1 MiB
// it stays near 64 MB at no measured cost in CPU. V8 sizes the heap when the
// isolate is made, so only Node's command line can set it: npm's link and
// pnpm's shim both run the `#!` line's flags (`env -S` splits them).
// CommonJS (bin/package.json): the start-up bundle is one CommonJS file that
// code-cache.js compiles with V8's code cache; no ES module loader is started
// unless something is imported later.
const { join } = require('node:path');
const { loadWithCodeCache } = require('./code-cache.js');

// Two kinds of run compile different parts of the bundle: --inspect, and everything else (builds, store commands).
const kind = process.argv.includes('--inspect') ? 'inspect' : 'build';
const { run } = loadWithCodeCache(join(__dirname, '..', 'dist', 'bundle', 'osbuild.cjs'), { kind }).exports;

// A closed pipe (`osbuild … | head`) is the reader's choice, not our failure.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

run(process.argv.slice(2)).then((status) => {
  process.exitCode = status;
});

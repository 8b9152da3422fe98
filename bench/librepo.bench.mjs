#!/usr/bin/env node
// org.osbuild.librepo fetching RPM-sized files (issue #6): 200 files of
// 24 KiB to 2.5 MiB (about 135 MiB in all) from an HTTP server on 127.0.0.1
// (its own process, files in memory), measured in one run three ways:
//   ours  — the org.osbuild.librepo plugin run as the engine runs it (node
//           start, request on stdin, parallel downloads from a baseurl
//           mirror, sha256 while writing, link into a fresh cache)
//   curl  — one `curl` process fetching the same URLs one after another
//           (a config file of url/output pairs: one connection, reused),
//           without verifying anything
//   write — writing the same bytes to 200 files from memory (into the page
//           cache, as ours and curl do)
//   disk  — the same with fdatasync per file: what the disk itself sustains
// All of them write into the same file system (the OS tmp dir). Rounds are
// interleaved so that load from other processes falls on all alike; the
// figures are medians, reported as ratios.
// Needs curl and the packages built (`pnpm build`).
//
// Options: --files N (200) --rounds R (7) --parallel P (8)

import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { downloadBaselines, freshDir } from './lib/download-baselines.mjs';
import { benchContent, startFileServer } from './lib/file-server.mjs';
import { measure, median, ms, rate, time } from './lib/measure.mjs';

const { values: opts } = parseArgs({
  options: {
    files: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '7' },
    parallel: { type: 'string', default: '8' },
  },
});
const FILES = Number(opts.files);
const ROUNDS = Number(opts.rounds);
const PARALLEL = Number(opts.parallel);
// Typical RPM sizes: many small, some large.
const SIZES = [24 << 10, 60 << 10, 150 << 10, 400 << 10, 1 << 20, 2.5 * (1 << 20)];

const packageDir = join(import.meta.dirname, '..', 'packages', 'source-dnf');
const entry = join(packageDir, 'dist', 'main.js');
const requireHere = createRequire(join(packageDir, 'package.json'));
const { runSourceLocally } = await import(pathToFileURL(requireHere.resolve('@osbuild-ts/source-kit/testing')).href);

const files = Array.from({ length: FILES }, (_, i) => ({ path: `/Packages/p/package-${i}-1.0-1.x86_64.rpm`, seed: `rpm-${i}`, size: SIZES[i % SIZES.length] }));
const work = mkdtempSync(join(tmpdir(), 'bench-librepo-'));
const server = await startFileServer(files);
try {
  const data = files.map((f) => benchContent(f.seed, f.size));
  const total = data.reduce((sum, d) => sum + d.length, 0);
  const items = Object.fromEntries(data.map((d, i) => [`sha256:${createHash('sha256').update(d).digest('hex')}`, { path: files[i].path.slice(1), mirror: 'bench' }]));
  const options = { mirrors: { bench: { url: server.url, type: 'baseurl' } } };
  const ours = async () => {
    const cache = freshDir(work, 'cache');
    let run;
    const seconds = await time(async () => {
      run = await runSourceLocally({ entry, items, options, cache, parallel: PARALLEL });
    });
    if (run.exitCode !== 0) throw new Error(`the plugin failed: ${JSON.stringify(run.messages.find((m) => m.type === 'error' || (m.type === 'item' && !m.success)))}`);
    return seconds;
  };
  const runs = await measure({ ours, ...downloadBaselines(work, files.map((f) => `${server.url}${f.path}`), data) }, ROUNDS, { rotate: true });
  const [oursTime, curl, write, disk] = [median(runs.ours), median(runs.curl), median(runs.write), median(runs.disk)];
  const speed = (s) => rate(total, s);
  console.log(`${FILES} RPM-sized files (${(total / 2 ** 20).toFixed(0)} MiB) from 127.0.0.1, median of ${ROUNDS} rounds`);
  if (process.env.BENCH_VERBOSE) console.log(runs);
  console.log(`  ours (org.osbuild.librepo plugin, parallel ${PARALLEL}, sha256): ${ms(oursTime)}  ${speed(oursTime)}`);
  console.log(`  curl, sequential, one process, no verification:  ${ms(curl)}  ${speed(curl)}`);
  console.log(`  raw write of the same bytes (page cache):         ${ms(write)}  ${speed(write)}`);
  console.log(`  raw write + fdatasync per file (the disk):        ${ms(disk)}  ${speed(disk)}`);
  console.log(`  ours / curl = ${(oursTime / curl).toFixed(2)}×, ours / write = ${(oursTime / write).toFixed(2)}×, ours / disk = ${(oursTime / disk).toFixed(2)}×, curl / write = ${(curl / write).toFixed(2)}×`);
} finally {
  server.stop();
  rmSync(work, { recursive: true, force: true });
}

#!/usr/bin/env node
// Fetching sources (issue: source-curl): 200 files of 1 MB from an HTTP
// server on 127.0.0.1 (its own process, files in memory), measured in one
// run three ways:
//   ours  — the engine's fetchSources with org.osbuild.curl into a fresh store
//           (plugin start, parallel downloads, sha256 while writing, link into the cache)
//   curl  — one `curl` process fetching the same URLs one after another
//           (a config file of url/output pairs: one connection, reused)
//   write — writing the same bytes to 200 files from memory (into the page
//           cache, as ours and curl do: nothing here fsyncs)
//   disk  — the same with fdatasync per file: what the disk itself sustains
//   curl+verify — curl as above, then sha256sum over the files: what
//           osbuild's own org.osbuild.curl does (download, then read back)
// Goal: ours within 1.3× of the faster of curl and write. Needs root (the
// store mounts a tmpfs), curl, and the packages built (`pnpm run build`).
//
// Options: --files N (200) --size BYTES (1048576) --rounds R (5) --parallel P (8)

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { downloadBaselines, freshDir } from './lib/download-baselines.mjs';
import { benchContent, startFileServer } from './lib/file-server.mjs';
import { measure, median, ms, rate, time } from './lib/measure.mjs';

const { values: opts } = parseArgs({
  options: { files: { type: 'string', default: '200' }, size: { type: 'string', default: String(1 << 20) }, rounds: { type: 'string', default: '5' }, parallel: { type: 'string', default: '8' } },
});
const FILES = Number(opts.files);
const SIZE = Number(opts.size);
const ROUNDS = Number(opts.rounds);
const PARALLEL = Number(opts.parallel);

const root = join(import.meta.dirname, '..');
const engineDir = join(root, 'packages', 'engine');
const requireFromEngine = createRequire(join(engineDir, 'package.json'));
const load = (specifier) => import(pathToFileURL(requireFromEngine.resolve(specifier)).href);
const { discoverPlugins, loadManifest, parsePyJson } = await load('@osbuild-ts/core');
const { openStore } = await load('@osbuild-ts/store');
const { fetchSources } = await import(pathToFileURL(join(engineDir, 'dist', 'sources', 'index.js')).href).catch((error) => {
  console.error('bench/sources: build first: pnpm run build');
  throw error;
});

const files = Array.from({ length: FILES }, (_, i) => ({ path: `/f${i}`, seed: `file-${i}`, size: SIZE }));
const work = mkdtempSync(join(tmpdir(), 'bench-sources-'));
const server = await startFileServer(files);
try {
  const data = files.map((f) => benchContent(f.seed, f.size));
  const urls = files.map((f) => `${server.url}${f.path}`);
  const items = Object.fromEntries(data.map((d, i) => [`sha256:${createHash('sha256').update(d).digest('hex')}`, urls[i]]));
  const manifest = loadManifest(parsePyJson(JSON.stringify({ version: '2', pipelines: [], sources: { 'org.osbuild.curl': { items } } })));
  const project = join(work, 'project');
  mkdirSync(join(project, 'node_modules', '@osbuild-ts'), { recursive: true });
  symlinkSync(join(root, 'packages', 'source-curl'), join(project, 'node_modules', '@osbuild-ts', 'source-curl'));
  const registry = await discoverPlugins(project);
  const baseline = downloadBaselines(work, urls, data);

  const runs = await measure(
    {
      write: baseline.write,
      disk: baseline.disk,
      // sha256sum reads back what curl wrote: osbuild's own org.osbuild.curl downloads, then verifies.
      curl: async () => {
        const curl = await baseline.curl();
        const sum = await time(async () => execFileSync('sha256sum', data.map((_, i) => join(work, 'curl', `f${i}`)), { maxBuffer: 1 << 24 }));
        return { curl, verify: curl + sum };
      },
      ours: async () => {
        const store = await openStore(freshDir(work, 'store'));
        try {
          return await time(() => fetchSources(manifest, registry, store, { parallel: PARALLEL }));
        } finally {
          await store.close();
        }
      },
    },
    ROUNDS,
  );
  const [ours, curl, write, disk, verify] = [median(runs.ours), median(runs.curl), median(runs.write), median(runs.disk), median(runs.verify)];
  const speed = (s) => rate(FILES * SIZE, s);
  console.log(`${FILES} files × ${SIZE} bytes from 127.0.0.1, median of ${ROUNDS} rounds`);
  if (process.env.BENCH_VERBOSE) console.log(runs);
  console.log(`  ours (fetchSources, org.osbuild.curl, parallel ${PARALLEL}): ${ms(ours)}  ${speed(ours)}`);
  console.log(`  curl, sequential, one process:                 ${ms(curl)}  ${speed(curl)}`);
  console.log(`  curl, then sha256sum of the files:             ${ms(verify)}  ${speed(verify)}`);
  console.log(`  raw write of the same bytes:                   ${ms(write)}  ${speed(write)}`);
  console.log(`  raw write + fdatasync per file (the disk):     ${ms(disk)}  ${speed(disk)}`);
  console.log(`  ours / curl = ${(ours / curl).toFixed(2)}×, ours / curl+sha256sum = ${(ours / verify).toFixed(2)}×, ours / write = ${(ours / write).toFixed(2)}×`);
  const best = Math.min(curl, write);
  console.log(`  ours / faster of the two = ${(ours / best).toFixed(2)}× (goal ≤ 1.3×); ours / disk = ${(ours / disk).toFixed(2)}×`);
} finally {
  server.stop();
  rmSync(work, { recursive: true, force: true });
}

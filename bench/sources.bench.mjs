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

import { execFileSync, fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, fdatasyncSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: { serve: { type: 'boolean', default: false }, files: { type: 'string', default: '200' }, size: { type: 'string', default: String(1 << 20) }, rounds: { type: 'string', default: '5' }, parallel: { type: 'string', default: '8' } },
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

// Deterministic, distinct content per file, the same in this process and in the server.
function content(i) {
  const out = Buffer.alloc(SIZE);
  let block = createHash('sha256').update(`file-${i}`).digest();
  for (let off = 0; off < SIZE; off += block.length) {
    block.copy(out, off);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

if (opts.serve) {
  const http = await import('node:http');
  const files = Array.from({ length: FILES }, (_, i) => content(i));
  const server = http.createServer((req, res) => {
    const body = files[Number(/^\/f(\d+)$/.exec(req.url)?.[1] ?? -1)];
    if (!body) return res.writeHead(404).end();
    res.writeHead(200, { 'content-length': body.length });
    res.end(body);
  });
  server.listen(0, '127.0.0.1', () => process.send(server.address().port));
} else {
  await main();
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'bench-sources-'));
  const server = fork(import.meta.filename, ['--serve', '--files', String(FILES), '--size', String(SIZE)], { stdio: 'inherit' });
  try {
    const port = await new Promise((resolve) => server.once('message', resolve));
    const data = Array.from({ length: FILES }, (_, i) => content(i));
    const items = Object.fromEntries(data.map((d, i) => [`sha256:${createHash('sha256').update(d).digest('hex')}`, `http://127.0.0.1:${port}/f${i}`]));
    const manifest = loadManifest(parsePyJson(JSON.stringify({ version: '2', pipelines: [], sources: { 'org.osbuild.curl': { items } } })));
    const project = join(work, 'project');
    mkdirSync(join(project, 'node_modules', '@osbuild-ts'), { recursive: true });
    symlinkSync(join(root, 'packages', 'source-curl'), join(project, 'node_modules', '@osbuild-ts', 'source-curl'));
    const registry = await discoverPlugins(project);
    const curlConfig = join(work, 'curl.config');
    writeFileSync(curlConfig, Object.values(items).map((url, i) => `url = "${url}"\noutput = "${join(work, 'curl', `f${i}`)}"\n`).join(''));

    const time = async (fn) => {
      const start = process.hrtime.bigint();
      await fn();
      return Number(process.hrtime.bigint() - start) / 1e9;
    };
    const runs = { ours: [], curl: [], write: [], disk: [], verify: [] };
    // Round 0 warms the page cache, the server and Node's compile cache; it is not counted.
    for (let round = 0; round <= ROUNDS; round++) {
      const fresh = (name) => {
        rmSync(join(work, name), { recursive: true, force: true });
        mkdirSync(join(work, name), { recursive: true });
        return join(work, name);
      };
      const writeDir = fresh('write');
      const w = await time(async () => {
        for (let i = 0; i < FILES; i++) writeFileSync(join(writeDir, `f${i}`), data[i]);
      });
      const diskDir = fresh('disk');
      const d = await time(async () => {
        for (let i = 0; i < FILES; i++) {
          const fd = openSync(join(diskDir, `f${i}`), 'w');
          writeSync(fd, data[i]);
          fdatasyncSync(fd);
          closeSync(fd);
        }
      });
      fresh('curl');
      const c = await time(async () => execFileSync('curl', ['--silent', '--fail', '--config', curlConfig]));
      const v = await time(async () => execFileSync('sha256sum', Array.from({ length: FILES }, (_, i) => join(work, 'curl', `f${i}`)), { maxBuffer: 1 << 24 }));
      const store = await openStore(fresh('store'));
      let o;
      try {
        o = await time(() => fetchSources(manifest, registry, store, { parallel: PARALLEL }));
      } finally {
        await store.close();
      }
      if (round > 0) {
        runs.write.push(w);
        runs.curl.push(c);
        runs.ours.push(o);
        runs.disk.push(d);
        runs.verify.push(c + v);
      }
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const ms = (s) => `${(s * 1000).toFixed(0)} ms`;
    const rate = (s) => `${((FILES * SIZE) / s / 2 ** 20).toFixed(0)} MiB/s`;
    const [ours, curl, write, disk, verify] = [median(runs.ours), median(runs.curl), median(runs.write), median(runs.disk), median(runs.verify)];
    console.log(`${FILES} files × ${SIZE} bytes from 127.0.0.1, median of ${ROUNDS} rounds`);
    if (process.env.BENCH_VERBOSE) console.log(runs);
    console.log(`  ours (fetchSources, org.osbuild.curl, parallel ${PARALLEL}): ${ms(ours)}  ${rate(ours)}`);
    console.log(`  curl, sequential, one process:                 ${ms(curl)}  ${rate(curl)}`);
    console.log(`  curl, then sha256sum of the files:             ${ms(verify)}  ${rate(verify)}`);
    console.log(`  raw write of the same bytes:                   ${ms(write)}  ${rate(write)}`);
    console.log(`  raw write + fdatasync per file (the disk):     ${ms(disk)}  ${rate(disk)}`);
    console.log(`  ours / curl = ${(ours / curl).toFixed(2)}×, ours / curl+sha256sum = ${(ours / verify).toFixed(2)}×, ours / write = ${(ours / write).toFixed(2)}×`);
    const best = Math.min(curl, write);
    console.log(`  ours / faster of the two = ${(ours / best).toFixed(2)}× (goal ≤ 1.3×); ours / disk = ${(ours / disk).toFixed(2)}×`);
  } finally {
    server.kill();
    rmSync(work, { recursive: true, force: true });
  }
}

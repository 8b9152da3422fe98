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

import { execFileSync, fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, fdatasyncSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: {
    serve: { type: 'boolean', default: false },
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

/** Deterministic, distinct content per file, the same in this process and in the server. */
function content(i) {
  const size = SIZES[i % SIZES.length];
  const out = Buffer.alloc(size);
  let block = createHash('sha256').update(`rpm-${i}`).digest();
  for (let off = 0; off < size; off += block.length) {
    block.copy(out, off);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}
const pathOf = (i) => `Packages/p/package-${i}-1.0-1.x86_64.rpm`;

if (opts.serve) {
  const http = await import('node:http');
  const files = new Map(Array.from({ length: FILES }, (_, i) => [`/${pathOf(i)}`, content(i)]));
  const server = http.createServer((req, res) => {
    const body = files.get(req.url);
    if (!body) return res.writeHead(404).end();
    res.writeHead(200, { 'content-length': body.length });
    res.end(body);
  });
  server.listen(0, '127.0.0.1', () => process.send(server.address().port));
} else {
  await main();
}

async function main() {
  const requireHere = createRequire(join(packageDir, 'package.json'));
  const { runSourceLocally } = await import(pathToFileURL(requireHere.resolve('@osbuild-ts/source-kit/testing')).href);
  const work = mkdtempSync(join(tmpdir(), 'bench-librepo-'));
  const server = fork(import.meta.filename, ['--serve', '--files', String(FILES)], { stdio: 'inherit' });
  try {
    const port = await new Promise((resolve) => server.once('message', resolve));
    const base = `http://127.0.0.1:${port}`;
    const data = Array.from({ length: FILES }, (_, i) => content(i));
    const total = data.reduce((sum, d) => sum + d.length, 0);
    const items = Object.fromEntries(data.map((d, i) => [`sha256:${createHash('sha256').update(d).digest('hex')}`, { path: pathOf(i), mirror: 'bench' }]));
    const options = { mirrors: { bench: { url: base, type: 'baseurl' } } };
    const curlConfig = join(work, 'curl.config');
    writeFileSync(curlConfig, data.map((_, i) => `url = "${base}/${pathOf(i)}"\noutput = "${join(work, 'curl', `f${i}`)}"\n`).join(''));

    const fresh = (name) => {
      rmSync(join(work, name), { recursive: true, force: true });
      mkdirSync(join(work, name), { recursive: true });
      return join(work, name);
    };
    const time = async (fn) => {
      const start = process.hrtime.bigint();
      await fn();
      return Number(process.hrtime.bigint() - start) / 1e9;
    };
    const ways = {
      ours: async () => {
        const cache = fresh('cache');
        let run;
        const seconds = await time(async () => {
          run = await runSourceLocally({ entry, items, options, cache, parallel: PARALLEL });
        });
        if (run.exitCode !== 0) throw new Error(`the plugin failed: ${JSON.stringify(run.messages.find((m) => m.type === 'error' || (m.type === 'item' && !m.success)))}`);
        return seconds;
      },
      curl: async () => {
        fresh('curl');
        return time(async () => execFileSync('curl', ['--silent', '--fail', '--config', curlConfig]));
      },
      write: async () => {
        const dir = fresh('write');
        return time(async () => {
          for (let i = 0; i < FILES; i++) writeFileSync(join(dir, `f${i}`), data[i]);
        });
      },
      disk: async () => {
        const dir = fresh('disk');
        return time(async () => {
          for (let i = 0; i < FILES; i++) {
            const fd = openSync(join(dir, `f${i}`), 'w');
            writeSync(fd, data[i]);
            fdatasyncSync(fd);
            closeSync(fd);
          }
        });
      },
    };
    const runs = { ours: [], curl: [], write: [], disk: [] };
    const names = Object.keys(ways);
    // Round 0 warms the page cache, the server and Node's compile cache; it is not counted.
    for (let round = 0; round <= ROUNDS; round++) {
      // Rotate the order so that none of the three always runs right after another.
      for (let k = 0; k < names.length; k++) {
        const name = names[(round + k) % names.length];
        const seconds = await ways[name]();
        if (round > 0) runs[name].push(seconds);
      }
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const ms = (s) => `${(s * 1000).toFixed(0)} ms`;
    const rate = (s) => `${(total / s / 2 ** 20).toFixed(0)} MiB/s`;
    const [ours, curl, write, disk] = [median(runs.ours), median(runs.curl), median(runs.write), median(runs.disk)];
    console.log(`${FILES} RPM-sized files (${(total / 2 ** 20).toFixed(0)} MiB) from 127.0.0.1, median of ${ROUNDS} rounds`);
    if (process.env.BENCH_VERBOSE) console.log(runs);
    console.log(`  ours (org.osbuild.librepo plugin, parallel ${PARALLEL}, sha256): ${ms(ours)}  ${rate(ours)}`);
    console.log(`  curl, sequential, one process, no verification:  ${ms(curl)}  ${rate(curl)}`);
    console.log(`  raw write of the same bytes (page cache):         ${ms(write)}  ${rate(write)}`);
    console.log(`  raw write + fdatasync per file (the disk):        ${ms(disk)}  ${rate(disk)}`);
    console.log(`  ours / curl = ${(ours / curl).toFixed(2)}×, ours / write = ${(ours / write).toFixed(2)}×, ours / disk = ${(ours / disk).toFixed(2)}×, curl / write = ${(curl / write).toFixed(2)}×`);
  } finally {
    server.kill();
    rmSync(work, { recursive: true, force: true });
  }
}

#!/usr/bin/env node
// The shared remote cache (issue #21), against a real registry (Debian's
// docker-registry, our own instance on 127.0.0.1) in the same run:
//
//   cold        `osbuild` builds a Debian tree's pipeline in an empty store:
//               org.osbuild.untar of a Debian minbase tree (plugin-kit's cached
//               debianTreeTarball, made from the host's apt sources), then a
//               small stage; exported with --output-directory
//   from cache  the same command with --remote-cache and an empty object
//               store: zero stages run, both objects are pulled
//               (both sides start with the tarball in the store's source
//               cache, so objects alone are measured)
//   pull        the remote cache's pull of those objects into an empty store
//               (download, digest check, zstd -d, tar -x, seal, manifest
//               check, atomic commit) vs `skopeo copy docker://… dir:…` of
//               the same artifacts (download and write the blobs only)
//
// Goals (issue #21): from cache ≤ 0.2× cold; pull ≤ 1.3× skopeo.
// Rounds after an uncounted warm-up; medians. Needs root and `pnpm build`.
// Options: --runs N (3)

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, linkSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { measure, median, ms, rate } from './lib/measure.mjs';

const root = join(import.meta.dirname, '..');
const dist = (pkg, file) => join(root, 'packages', pkg, 'dist', file);
const [{ debianTreeTarball, debianTreeUnavailable }, { openStore }, { openRemoteCache }] = await Promise.all([
  import(dist('plugin-kit', 'debian-tree.js')),
  import(dist('store', 'index.js')),
  import(dist('remote-cache', 'index.js')),
]).catch((error) => {
  console.error('bench/remote-cache: build the packages first: pnpm build');
  throw error;
});
const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const RUNS = Number(values.runs);
const cli = join(root, 'packages', 'cli', 'bin', 'osbuild.js');

const why = debianTreeUnavailable();
if (why !== null) {
  console.log(`skipped: ${why}`);
  process.exit(0);
}
for (const tool of ['docker-registry', 'skopeo', 'zstd']) {
  if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) throw new Error(`bench/remote-cache needs ${tool} (scripts/bootstrap installs it)`);
}

const work = mkdtempSync(join(tmpdir(), 'bench-remote-cache-'));
let registry = null;
process.on('exit', () => {
  registry?.kill('SIGKILL');
  spawnSync('sh', ['-c', 'for m in $(grep -o " $1[^ ]*" /proc/self/mountinfo | sort -r); do umount -l "$m"; done', 'sh', work]);
  rmSync(work, { recursive: true, force: true });
});

// The Debian tree (made once, cached) and its checksum.
const tarball = await debianTreeTarball();
const hex = await new Promise((resolve, reject) => {
  const hash = createHash('sha256');
  createReadStream(tarball).on('data', (c) => hash.update(c)).on('end', () => resolve(hash.digest('hex'))).on('error', reject);
});
console.log(`Debian minbase tree: ${(statSync(tarball).size / 2 ** 20).toFixed(0)} MiB tarball`);

// Our own registry.
const port = await new Promise((resolve) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
writeFileSync(
  join(work, 'registry.yml'),
  `version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${join(work, 'registry')}\nhttp:\n  addr: 127.0.0.1:${port}\n`,
);
registry = spawn('docker-registry', ['serve', join(work, 'registry.yml')], { stdio: 'ignore' });
for (let i = 0; ; i++) {
  const up = await new Promise((resolve) => {
    const sock = connect(port, '127.0.0.1');
    sock.once('connect', () => (sock.destroy(), resolve(true)));
    sock.once('error', () => resolve(false));
  });
  if (up) break;
  if (i > 400) throw new Error('docker-registry did not start');
  await new Promise((r) => setTimeout(r, 50));
}
const cacheUrl = `http://127.0.0.1:${port}/bench/os`;

const manifest = join(work, 'manifest.json');
writeFileSync(
  manifest,
  JSON.stringify({
    version: '2',
    sources: { 'org.osbuild.curl': { items: { [`sha256:${hex}`]: { url: 'http://127.0.0.1:9/debian-minbase.tar' } } } },
    pipelines: [
      {
        name: 'os',
        stages: [
          { type: 'org.osbuild.untar', inputs: { file: { type: 'org.osbuild.files', origin: 'org.osbuild.source', references: { [`sha256:${hex}`]: {} } } } },
          { type: 'org.osbuild.mkdir', options: { paths: [{ path: '/srv/bench' }] } },
        ],
      },
    ],
  }),
);

let serial = 0;
/** An empty object store whose source cache already holds the tarball (untimed). */
function seededStore() {
  const store = join(work, `store-${serial++}`);
  const dir = join(store, 'sources', 'org.osbuild.files');
  mkdirSync(dir, { recursive: true });
  try {
    linkSync(tarball, join(dir, `sha256:${hex}`));
  } catch {
    copyFileSync(tarball, join(dir, `sha256:${hex}`));
  }
  return store;
}
const drop = (path) => rmSync(path, { recursive: true, force: true });

function osbuild(store, extra) {
  const out = `${store}-out`;
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, '--libdir', root, '--store', store, '--export', 'os', '--output-directory', out, '--json', ...extra, manifest], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`osbuild failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const stages = JSON.parse(r.stdout)['osbuild-ts'].stages;
  return { seconds, stages, stderr: r.stderr };
}

// Fill the registry once (untimed), and learn the objects' keys.
console.log('filling the registry…');
const filler = seededStore();
const filled = osbuild(filler, ['--remote-cache', cacheUrl]);
if (!filled.stages.every((s) => s.remote === 'pushed')) throw new Error(`the registry was not filled: ${filled.stderr}`);
const keys = readdirSync(join(filler, 'objects'));
drop(`${filler}-out`);

const builds = await measure(
  {
    cold: () => {
      const store = seededStore();
      const { seconds, stages } = osbuild(store, []);
      if (stages.some((s) => s.cached)) throw new Error('cold build reused something');
      drop(store), drop(`${store}-out`);
      return seconds;
    },
    'from cache': () => {
      const store = seededStore();
      const { seconds, stages, stderr } = osbuild(store, ['--remote-cache', cacheUrl, '--remote-cache-mode', 'read']);
      if (!stages.every((s) => s.remote === 'pulled')) throw new Error(`not pulled: ${stderr}`);
      drop(store), drop(`${store}-out`);
      return seconds;
    },
  },
  RUNS,
  { rotate: true },
);

// Pull alone: our pull into an empty store vs skopeo copy of the same artifacts.
let pulledBytes = 0;
const pulls = await measure(
  {
    ours: async () => {
      const store = await openStore(join(work, `pull-${serial++}`));
      let bytes = 0;
      const cache = await openRemoteCache({ url: cacheUrl, mode: 'read', onEvent: (e) => (e.action === 'pulled' ? (bytes += e.bytes) : e.action === 'warning' && console.error(e.message)) });
      const t0 = performance.now();
      const pulled = await cache.pull(store, keys.filter((k) => k !== undefined).sort((a, b) => depth(a) - depth(b)));
      const seconds = (performance.now() - t0) / 1000;
      if (pulled.length !== keys.length) throw new Error(`pulled ${pulled.length} of ${keys.length}`);
      pulledBytes = bytes;
      await cache.close();
      await store.close();
      drop(store.root);
      return seconds;
    },
    skopeo: () => {
      const t0 = performance.now();
      let copied = 0;
      const dests = [];
      for (const key of keys) {
        const dest = join(work, `skopeo-${serial++}`);
        const r = spawnSync('skopeo', ['copy', '--quiet', '--src-tls-verify=false', `docker://127.0.0.1:${port}/bench/os:${key}`, `dir:${dest}`], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`skopeo copy failed: ${r.stderr}`);
        dests.push(dest);
      }
      copied = (performance.now() - t0) / 1000;
      // A second baseline: the same blobs then unpacked as we do (zstd -d | tar -x), without our checks and commit.
      const t1 = performance.now();
      for (const dest of dests) {
        const manifest = JSON.parse(spawnSync('cat', [join(dest, 'manifest.json')], { encoding: 'utf8' }).stdout);
        const blob = join(dest, manifest.layers[0].digest.replace('sha256:', ''));
        mkdirSync(join(dest, 'tree'));
        const r = spawnSync('sh', ['-c', 'zstd -dcq < "$1" | tar -x --xattrs --xattrs-include="*" --numeric-owner -C "$2"', 'sh', blob, join(dest, 'tree')]);
        if (r.status !== 0) throw new Error('unpacking failed');
      }
      const unpacked = (performance.now() - t1) / 1000;
      for (const dest of dests) drop(dest);
      return { skopeo: copied, 'skopeo + unpack': copied + unpacked };
    },
  },
  RUNS,
  { rotate: true },
);
function depth(key) {
  return JSON.parse(spawnSync('cat', [join(filler, 'objects', key, 'object.info')], { encoding: 'utf8' }).stdout).depth;
}

const cold = median(builds.cold);
const cached = median(builds['from cache']);
const ours = median(pulls.ours);
const skopeo = median(pulls.skopeo);
const skopeoUnpack = median(pulls['skopeo + unpack']);
console.log(`build, empty store:       cold ${ms(cold)}, from the remote cache ${ms(cached)}  → ${(cached / cold).toFixed(2)}× cold (goal ≤ 0.2×)`);
console.log(`pull of ${keys.length} objects (${(pulledBytes / 2 ** 20).toFixed(0)} MiB compressed): ours ${ms(ours)} (${rate(pulledBytes, ours)}), skopeo copy ${ms(skopeo)} (${rate(pulledBytes, skopeo)})  → ${(ours / skopeo).toFixed(2)}× skopeo (goal ≤ 1.3×)`);
console.log(`  skopeo copy + zstd -d | tar -x of the same blobs: ${ms(skopeoUnpack)}  → ours ${(ours / skopeoUnpack).toFixed(2)}× that`);
console.log(`  (load average now: ${spawnSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).stdout.trim()})`);

// The registry child would keep the process alive: end here (the exit handler stops it and cleans up).
process.exit(0);

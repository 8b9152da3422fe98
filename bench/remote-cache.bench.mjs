#!/usr/bin/env node
// The shared remote cache (issue #21), against a real registry (Debian's
// docker-registry, our own instance on 127.0.0.1) in the same run:
//
//   cold        `osbuild --export os` of samples/debian-minimal (pinned with
//               osbuild-debian-pin, the shared pin cache) in an empty object
//               store, without --remote-cache: every stage of the `os`
//               pipeline runs (mmdebstrap of the pinned .debs, then the
//               sample's configuration stages), the tree is exported
//   from cache  the same command with --remote-cache (mode read) and an
//               empty object store: zero stages run, the pipeline's objects
//               are pulled, the tree is exported
//               (both sides start with every pinned .deb in the store's
//               source cache, hard-linked untimed from
//               /var/cache/osbuild-ts/test-debs, so no download is timed)
//   pull        the remote cache's pull of those objects into an empty store
//               (download, digest check, zstd -d, tar -x, seal, manifest
//               check, atomic commit) vs `skopeo copy docker://… dir:…` of
//               the same artifacts (download and write the blobs only), vs
//               skopeo copy + the same `zstd -d | tar -x` of every layer, and
//               vs `skopeo copy` of the same layers as one OCI image into
//               containers-storage (overlay driver): what `podman pull`
//               does (download, digest and diff_id checks, decompress,
//               unpack into layer directories), the like-for-like baseline
//
// The registry is filled once, untimed, by a build of the same manifest
// with --remote-cache (readwrite) in its own store; that build also warms
// the page cache, so the build rounds have no extra warm-up round (a cold
// build takes minutes). The pull rounds have one uncounted warm-up round.
// --stand-in: the older, quick stand-in (org.osbuild.untar of plugin-kit's
// cached minbase tarball, then one mkdir; cold ≈ from cache by
// construction, as both sides mostly unpack the same tree).
//
// Goals (issue #21): from cache ≤ 0.2× cold; pull ≤ 1.3× skopeo.
// Medians. Needs root, the host's apt mirror (pinning), docker-registry,
// skopeo, zstd and `pnpm build`.
// A from-cache build that pulled only part of the pipeline (a refused pull
// is a warning, then a local build) is reported as such, with the warning,
// not hidden in the median; so is a partial pull.
// Options: --runs N build rounds (1; 3 with --stand-in), --pull-runs N pull
// rounds (3; --runs with --stand-in), --stand-in, --work-dir DIR (/var/tmp:
// where the stores, the registry's storage and the exports go)

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, linkSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { connect, createServer } from 'node:net';
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
const { values } = parseArgs({ options: { runs: { type: 'string' }, 'pull-runs': { type: 'string' }, 'stand-in': { type: 'boolean', default: false }, 'work-dir': { type: 'string', default: '/var/tmp' } } });
const STAND_IN = values['stand-in'];
const RUNS = Number(values.runs ?? (STAND_IN ? 3 : 1));
const PULL_RUNS = Number(values['pull-runs'] ?? (STAND_IN ? RUNS : 3));
if (!(RUNS >= 1) || !(PULL_RUNS >= 1)) throw new Error(`--runs/--pull-runs: expected a number ≥ 1, got ${values.runs}/${values['pull-runs']}`);
const cli = join(root, 'packages', 'cli', 'bin', 'osbuild.js');
const pinBin = join(root, 'node_modules', '.bin', 'osbuild-debian-pin');
const sample = join(root, 'samples', 'debian-minimal');
const DEB_CACHE = '/var/cache/osbuild-ts/test-debs';

const why = debianTreeUnavailable();
if (why !== null) {
  console.log(`skipped: ${why}`);
  process.exit(0);
}
for (const tool of ['docker-registry', 'skopeo', 'zstd']) {
  if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) throw new Error(`bench/remote-cache needs ${tool} (scripts/bootstrap installs it)`);
}

// On disk, not a tmpfs /tmp: the Debian sample's tree is hundreds of MiB per store.
const work = mkdtempSync(join(values['work-dir'], 'osbuild-ts-bench-remote-cache-'));
const fsType = execFileSync('stat', ['-f', '-c', '%T', work], { encoding: 'utf8' }).trim();
let registry = null;
process.on('exit', () => {
  registry?.kill('SIGKILL');
  spawnSync('sh', ['-c', 'for m in $(grep -o " $1[^ ]*" /proc/self/mountinfo | sort -r); do umount -l "$m"; done', 'sh', work]);
  rmSync(work, { recursive: true, force: true });
});

/** Puts every `sha256:*` file of `from` into `to`: a hard link, or a copy across file systems. */
function linkAll(from, to, only = null) {
  mkdirSync(to, { recursive: true });
  for (const name of only ?? readdirSync(from)) {
    if (!name.startsWith('sha256:')) continue;
    try {
      linkSync(join(from, name), join(to, name));
    } catch (error) {
      if (error.code !== 'EXDEV') throw error;
      copyFileSync(join(from, name), join(to, name));
    }
  }
}

const manifest = join(work, 'manifest.json');
/** Seeds a new store's source cache (untimed). */
let seed;
if (STAND_IN) {
  // The Debian tree (made once, cached) and its checksum.
  const tarball = await debianTreeTarball();
  const hex = await new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(tarball).on('data', (c) => hash.update(c)).on('end', () => resolve(hash.digest('hex'))).on('error', reject);
  });
  console.log(`stand-in: org.osbuild.untar of a Debian minbase tree (${(statSync(tarball).size / 2 ** 20).toFixed(0)} MiB tarball), then org.osbuild.mkdir`);
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
  seed = (dir) => {
    mkdirSync(dir, { recursive: true });
    try {
      linkSync(tarball, join(dir, `sha256:${hex}`));
    } catch {
      copyFileSync(tarball, join(dir, `sha256:${hex}`));
    }
  };
} else {
  // samples/debian-minimal pinned against the host's mirror (untimed); the
  // pinned .debs missing from the shared .deb cache are fetched into it.
  if (!existsSync(pinBin)) throw new Error(`bench/remote-cache needs ${pinBin}: pnpm install && pnpm build`);
  execFileSync(pinBin, ['-q', '--fetch', DEB_CACHE, '--template', join(sample, 'manifest.in.json'), '--output', manifest, `debian=${join(sample, 'debian.json')}`], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  // Only the items the manifest names, so both sides hold exactly the same source cache.
  const wanted = new Set();
  for (const source of Object.values(JSON.parse(readFileSync(manifest, 'utf8')).sources ?? {})) for (const checksum of Object.keys(source.items ?? {})) wanted.add(checksum);
  const missing = [...wanted].filter((c) => !existsSync(join(DEB_CACHE, c)));
  if (missing.length > 0) throw new Error(`the pinned manifest names ${missing.length} items not in ${DEB_CACHE} (e.g. ${missing[0]})`);
  let bytes = 0;
  for (const c of wanted) bytes += statSync(join(DEB_CACHE, c)).size;
  console.log(`samples/debian-minimal, pipeline os: ${wanted.size} pinned source items (${(bytes / 2 ** 20).toFixed(0)} MiB) seeded into every store`);
  seed = (dir) => linkAll(DEB_CACHE, dir, [...wanted]);
}

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

let serial = 0;
/** An empty object store whose source cache already holds the manifest's sources (untimed). */
function seededStore() {
  const store = join(work, `store-${serial++}`);
  seed(join(store, 'sources', 'org.osbuild.files'));
  return store;
}
const drop = (path) => rmSync(path, { recursive: true, force: true });

function osbuild(store, extra) {
  const out = `${store}-out`;
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, '--libdir', root, '--store', store, '--export', 'os', '--output-directory', out, '--json', ...extra, manifest], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`osbuild failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const stages = JSON.parse(r.stdout)['osbuild-ts'].stages.filter((s) => s.pipeline === 'os');
  return { seconds, stages, stderr: r.stderr };
}

// Fill the registry once (untimed), and learn the objects' keys.
console.log('filling the registry (a cold build with --remote-cache, untimed)…');
const filler = seededStore();
const filled = osbuild(filler, ['--remote-cache', cacheUrl]);
if (!filled.stages.every((s) => s.remote === 'pushed')) throw new Error(`the registry was not filled: ${filled.stderr}`);
console.log(`  ${filled.stages.length} stages, ${ms(filled.seconds)} (with the pushes)`);
const keys = readdirSync(join(filler, 'objects'));
drop(`${filler}-out`);

// The same tree layers as one OCI image (untimed): what `podman pull` would
// fetch and unpack. Its config names each layer's diff_id (the sha256 of
// the uncompressed tar), which containers-storage checks while unpacking.
const base = `http://127.0.0.1:${port}/v2/bench/os`;
{
  const layers = [];
  const diffIds = [];
  for (const key of [...keys].sort((a, b) => depth(a) - depth(b))) {
    const m = await (await fetch(`${base}/manifests/${key}`, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } })).json();
    const tree = m.layers.find((l) => l.mediaType.endsWith('tar+zstd'));
    const blob = Buffer.from(await (await fetch(`${base}/blobs/${tree.digest}`)).arrayBuffer());
    diffIds.push(`sha256:${createHash('sha256').update(execFileSync('zstd', ['-dcq'], { input: blob, maxBuffer: 2 ** 31 })).digest('hex')}`);
    layers.push({ mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd', digest: tree.digest, size: tree.size });
  }
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: diffIds }, config: {} }));
  const digest = `sha256:${createHash('sha256').update(config).digest('hex')}`;
  const upload = new URL((await fetch(`${base}/blobs/uploads/`, { method: 'POST' })).headers.get('location'), `http://127.0.0.1:${port}`);
  upload.searchParams.set('digest', digest);
  const put = await fetch(upload, { method: 'PUT', body: config, headers: { 'content-type': 'application/octet-stream' } });
  const image = { schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest, size: config.length }, layers };
  const tagged = await fetch(`${base}/manifests/image`, { method: 'PUT', body: JSON.stringify(image), headers: { 'content-type': image.mediaType } });
  if (put.status !== 201 || tagged.status !== 201) throw new Error(`could not store the image of the layers (HTTP ${put.status}, ${tagged.status})`);
}

const fromCache = [];
const refusals = new Set();
const buildWays = {
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
      const pulled = stages.filter((s) => s.remote === 'pulled').length;
      fromCache.push(`${pulled}/${stages.length}`);
      if (pulled !== stages.length) refusals.add((stderr.trim().split('\n').find((l) => /remote cache/.test(l)) ?? stderr.trim().slice(-500)).replace(/^warning: /, ''));
      drop(store), drop(`${store}-out`);
      return seconds;
    },
};
// The stand-in's rounds start with an uncounted warm-up round; the Debian build's warm-up is the filling build above.
const builds = STAND_IN ? await measure(buildWays, RUNS, { rotate: true }) : await counted(buildWays, RUNS);
/** measure()'s rounds (the order turning each round) without the warm-up round. */
async function counted(ways, rounds) {
  const names = Object.keys(ways);
  const runs = {};
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length];
      (runs[name] ??= []).push(await ways[name]());
    }
  }
  return runs;
}

// Pull alone: our pull into an empty store vs skopeo copy of the same artifacts.
let pulledBytes = 0;
let unpackedBytes = 0;
let artifactBytes = 0;
const pullCounts = [];
const pulls = await measure(
  {
    ours: async () => {
      const store = await openStore(join(work, `pull-${serial++}`));
      let bytes = 0;
      const cache = await openRemoteCache({ url: cacheUrl, mode: 'read', onEvent: (e) => (e.action === 'pulled' ? (bytes += e.bytes) : e.action === 'warning' && refusals.add(e.message)) });
      const t0 = performance.now();
      const pulled = await cache.pull(store, [...keys].sort((a, b) => depth(a) - depth(b)));
      const seconds = (performance.now() - t0) / 1000;
      pullCounts.push(pulled.length);
      pulledBytes = bytes;
      await cache.close();
      await store.close();
      drop(store.root);
      return seconds;
    },
    skopeo: () => {
      const t0 = performance.now();
      const dests = [];
      for (const key of keys) {
        const dest = join(work, `skopeo-${serial++}`);
        const r = spawnSync('skopeo', ['copy', '--quiet', '--src-tls-verify=false', `docker://127.0.0.1:${port}/bench/os:${key}`, `dir:${dest}`], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`skopeo copy failed: ${r.stderr}`);
        dests.push(dest);
      }
      const copied = (performance.now() - t0) / 1000;
      // A second baseline: the same blobs then unpacked as we do (zstd -d | tar -x, every layer), without our checks and commit.
      const t1 = performance.now();
      let bytes = 0;
      for (const dest of dests) {
        // The tree layers (tar+zstd); an object's artifact also carries its layer manifest, a small text blob.
        const all = JSON.parse(readFileSync(join(dest, 'manifest.json'), 'utf8')).layers;
        bytes += all.reduce((sum, l) => sum + l.size, 0);
        const layers = all.filter((l) => l.mediaType.endsWith('tar+zstd'));
        if (layers.length === 0) throw new Error(`no tar+zstd layer in ${dest}`);
        mkdirSync(join(dest, 'tree'));
        for (const layer of layers) {
          const blob = join(dest, layer.digest.replace('sha256:', ''));
          const r = spawnSync('sh', ['-c', 'zstd -dcq < "$1" | tar -x --xattrs --xattrs-include="*" --numeric-owner -C "$2"', 'sh', blob, join(dest, 'tree')]);
          if (r.status !== 0) throw new Error(`unpacking ${blob} failed: ${r.stderr}`);
        }
      }
      const unpacked = (performance.now() - t1) / 1000;
      artifactBytes = bytes;
      unpackedBytes = Number(execFileSync('du', ['-sb', ...dests.map((d) => join(d, 'tree'))], { encoding: 'utf8' }).split('\n').reduce((sum, line) => sum + (Number(line.split('\t')[0]) || 0), 0));
      for (const dest of dests) drop(dest);
      return { skopeo: copied, 'skopeo + unpack': copied + unpacked };
    },
    'skopeo → containers-storage': () => {
      // podman pull's work on the same layers: download, digest and diff_id checks, zstd -d, unpack into overlay layer directories.
      const dest = join(work, `containers-${serial++}`);
      const t0 = performance.now();
      const r = spawnSync('skopeo', ['copy', '--quiet', '--src-tls-verify=false', `docker://127.0.0.1:${port}/bench/os:image`, `containers-storage:[overlay@${dest}/root+${dest}/run]localhost/bench:latest`], { encoding: 'utf8' });
      const seconds = (performance.now() - t0) / 1000;
      if (r.status !== 0) throw new Error(`skopeo copy to containers-storage failed: ${r.stderr}`);
      spawnSync('sh', ['-c', 'for m in $(grep -o " $1[^ ]*" /proc/self/mountinfo | sort -r); do umount -l "$m"; done', 'sh', dest]);
      drop(dest);
      return seconds;
    },
  },
  PULL_RUNS,
  { rotate: true },
);
function depth(key) {
  return JSON.parse(readFileSync(join(filler, 'objects', key, 'object.info'), 'utf8')).depth;
}

const cold = median(builds.cold);
const cached = median(builds['from cache']);
const ours = median(pulls.ours);
const skopeo = median(pulls.skopeo);
const skopeoUnpack = median(pulls['skopeo + unpack']);
const list = (xs) => xs.map((x) => ms(x)).join(', ');
const partialBuild = fromCache.some((x) => !x.startsWith(`${filled.stages.length}/`));
const partialPull = pullCounts.some((n) => n !== keys.length);
console.log(`${STAND_IN ? 'stand-in' : 'samples/debian-minimal --export os'}, empty object store on ${fsType}, build rounds ${builds.cold.length}, pull rounds ${pulls.ours.length} (medians):`);
console.log(`build:  cold ${ms(cold)}, from the remote cache ${ms(cached)}  → ${(cached / cold).toFixed(2)}× cold (goal ≤ 0.2×)   [cold: ${list(builds.cold)}; from cache: ${list(builds['from cache'])}; stages pulled: ${fromCache.join(', ')}]`);
if (partialBuild) console.log(`  NOT a from-cache build: the rest of the pipeline was built locally`);
console.log(`pull of ${keys.length} objects (${(artifactBytes / 2 ** 20).toFixed(0)} MiB of blobs, ${(unpackedBytes / 2 ** 20).toFixed(0)} MiB unpacked): ours ${ms(ours)} (${rate(artifactBytes, ours)}), skopeo copy ${ms(skopeo)} (${rate(artifactBytes, skopeo)})  → ${(ours / skopeo).toFixed(2)}× skopeo (goal ≤ 1.3×)`);
if (partialPull) console.log(`  NOT a whole pull: objects imported per round (warm-up first) ${pullCounts.join(', ')} of ${keys.length} (ours reported ${(pulledBytes / 2 ** 20).toFixed(0)} MiB pulled in the last round)`);
console.log(`  skopeo copy + zstd -d | tar -x of the same blobs: ${ms(skopeoUnpack)}  → ours ${(ours / skopeoUnpack).toFixed(2)}× that   [ours: ${list(pulls.ours)}; skopeo: ${list(pulls.skopeo)}; + unpack: ${list(pulls['skopeo + unpack'])}]`);
const containers = median(pulls['skopeo → containers-storage']);
console.log(`  skopeo copy into containers-storage (overlay; the same layers as one OCI image, as podman pull): ${ms(containers)}  → ours ${(ours / containers).toFixed(2)}× that   [${list(pulls['skopeo → containers-storage'])}]`);
for (const r of refusals) console.log(`  warning seen: ${r.length > 600 ? `${r.slice(0, 600)}…` : r}`);
console.log(`  (load average now: ${readFileSync('/proc/loadavg', 'utf8').trim()})`);

// The registry child would keep the process alive: end here (the exit handler stops it and cleans up).
process.exit(0);

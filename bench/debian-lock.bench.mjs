#!/usr/bin/env node
// org.osbuild.debian.debootstrap from a lock vs mmdebstrap (issue #17).
// A manifest as the documents write it (suite bookworm, variant minbase,
// extra_packages systemd; no mirror: the host's apt source) is locked once
// (untimed, `osbuild --update-lock`), its .debs fetched into the test cache.
//
//   baseline  mmdebstrap --mode=root --variant=minbase with exactly the locked
//             package set, from a local repository of the same cached .debs
//             (index prepared untimed)
//   osbuild   `osbuild --offline --locked` on the manifest, empty object store
//             with the .debs already in its source cache: lock read, plan,
//             sandbox, the stage (index + mmdebstrap), commit to the store,
//             export (a copy of the tree: osbuild builds only what is exported)
//
// Rounds alternate (ABBA) so drift in the machine's load hits both alike;
// medians and the median of the per-round ratios are printed. Goal ≤ 1.2×.
// Needs root, mmdebstrap, bubblewrap and the packages built (`pnpm build`).
//
// Options: --runs N (rounds, 3)

import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const root = join(import.meta.dirname, '..');
const dist = (pkg, file) => join(root, 'packages', pkg, 'dist', file);
const [{ makeLocalRepo }, { fetchDebs }, { TEST_DEB_CACHE }] = await Promise.all([
  import(dist('debian-pin', 'local-repo.js')),
  import(dist('debian-pin', 'fetch-debs.js')),
  import(dist('debian-pin', 'testing.js')),
]).catch((error) => {
  console.error('bench/debian-lock: build the packages first: pnpm build');
  throw error;
});

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const RUNS = Number(values.runs);
const OSBUILD = join(root, 'packages', 'cli', 'bin', 'osbuild.js');

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const timed = (fn) => {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
};
const run = (command, args) => {
  const r = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], cwd: root });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${(r.stdout + r.stderr).slice(-3000)}`);
  return r;
};

// Scratch on disk (/var/tmp), where the store and trees of a real build go.
const work = mkdtempSync('/var/tmp/bench-debian-lock-');
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

const manifest = join(work, 'basic.json');
writeFileSync(
  manifest,
  JSON.stringify({
    version: '2',
    pipelines: [
      { name: 'os', 'source-epoch': 1700000000, stages: [{ type: 'org.osbuild.debian.debootstrap', options: { suite: 'bookworm', variant: 'minbase', extra_packages: ['systemd'] } }] },
    ],
  }),
);
// Lock (untimed): resolves against the host's apt source, writes basic.lock.json.
run(process.execPath, [OSBUILD, '--store', join(work, 'lock-store'), '--update-lock', manifest]);
rmSync(join(work, 'lock-store'), { recursive: true, force: true });
const lock = JSON.parse(readFileSync(join(work, 'basic.lock.json'), 'utf8'));
const entry = lock.stages[0];
const refs = entry.inputs.debs.references;
const items = entry.sources['org.osbuild.curl'];
const packages = refs.map((r) => ({ sha256: r.id.slice('sha256:'.length), url: items[r.id].url, name: r.options.metadata['deb.package'] }));
await fetchDebs(packages, TEST_DEB_CACHE);
console.log(`bookworm minbase + systemd, locked: ${packages.length} .debs`);

// The same files, as an input directory (for the baseline's repository) and in each store's source cache.
const input = join(work, 'input');
mkdirSync(input);
const place = (from, to) => {
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
};
for (const r of refs) place(join(TEST_DEB_CACHE, r.id), join(input, r.id));
const files = Object.fromEntries(refs.map((r) => [r.id, r.options.metadata]));
const repo = await makeLocalRepo({ inputDir: input, files, dir: join(work, 'repo'), suite: 'bookworm' });
const names = refs.map((r) => r.options.metadata['deb.package']).sort();

const tree = join(work, 'tree');
const times = { baseline: [], osbuild: [] };
const baseline = () => {
  times.baseline.push(
    timed(() => run('mmdebstrap', ['--mode=root', '--variant=minbase', `--include=${names.join(',')}`, '--skip=check/signed-by', 'bookworm', tree, repo.sourcesLine])),
  );
  rmSync(tree, { recursive: true, force: true });
};
const ours = () => {
  const store = join(work, 'store');
  mkdirSync(join(store, 'sources', 'org.osbuild.files'), { recursive: true });
  for (const r of refs) place(join(TEST_DEB_CACHE, r.id), join(store, 'sources', 'org.osbuild.files', r.id));
  // osbuild builds only what is exported: the export (a copy of the tree) is part of the time.
  const out = join(work, 'out');
  times.osbuild.push(timed(() => run(process.execPath, [OSBUILD, '--offline', '--locked', '--store', store, '--export', 'os', '--output-directory', out, '-q', manifest])));
  rmSync(store, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
};
for (let i = 0; i < RUNS; i++) for (const step of i % 2 === 0 ? [baseline, ours] : [ours, baseline]) step();

const base = median(times.baseline);
console.log(`mmdebstrap, same package set, local repo:    ${seconds(base)}  [runs: ${times.baseline.map(seconds).join(', ')}]`);
console.log(
  `osbuild --offline --locked, cold store:      ${seconds(median(times.osbuild))} (${(median(times.osbuild) / base).toFixed(2)}× mmdebstrap)  [runs: ${times.osbuild.map(seconds).join(', ')}]; goal ≤ 1.2×`,
);
console.log(`  median of the paired ratios (same round): ${median(times.osbuild.map((t, i) => t / times.baseline[i])).toFixed(2)}×`);
if (!existsSync(OSBUILD)) process.exitCode = 1;

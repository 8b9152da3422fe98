#!/usr/bin/env node
// Debian tree builds (issue: Debian stages): minbase + systemd, pinned against
// the host's mirror (read from its apt configuration at run time), .debs in the
// test cache (/var/cache/osbuild-ts/test-debs, fetched once).
//
//   baseline  mmdebstrap --mode=root --variant=minbase --include=systemd from a
//             local repository of the same files (index prepared untimed)
//   stage     io.github.osbuild-ts.debian.rootfs in the real sandbox, cold:
//             indexes the input files itself, then the same mmdebstrap
//   engine    `osbuild` on a pinned manifest, sources already in the store:
//             cold (empty object store) and warm (the same store again);
//             skipped with the reason when the engine cannot build it yet
//
// Rounds alternate in ABBA order so a drift in the machine's load hits both
// sides alike; medians, the median of the per-round ratios, and the stage's
// time outside mmdebstrap (mmdebstrap reports its own duration) are printed.
// Needs root, mmdebstrap, bubblewrap and the packages built (`pnpm build`).
//
// Options: --runs N (rounds, 4) --json

import { spawnSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const root = join(import.meta.dirname, '..');
const dist = (pkg, file) => join(root, 'packages', pkg, 'dist', file);
const [{ pinnedInputs }, { makeLocalRepo }, { references, curlItems }, { runInSandbox }, { sandboxArguments }] = await Promise.all([
  import(dist('debian-pin', 'testing.js')),
  import(dist('debian-pin', 'local-repo.js')),
  import(dist('debian-pin', 'manifest.js')),
  import(dist('sandbox', 'index.js')),
  import(dist('plugin-kit', 'testing.js')),
]).catch((error) => {
  console.error('bench/debian: build the packages first: pnpm build');
  throw error;
});

const { values } = parseArgs({ options: { runs: { type: 'string', default: '4' }, json: { type: 'boolean', default: false } } });
const RUNS = Number(values.runs);
const SUITE = 'bookworm';
const PACKAGES = ['systemd'];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const timed = async (fn) => {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
};

const work = mkdtempSync(join(tmpdir(), 'bench-debian-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

// Pin and fetch (untimed; the index and the .debs are cached between runs).
const pinned = await pinnedInputs({ minbase: { suite: SUITE, variant: 'minbase', packages: PACKAGES } }, { dir: join(work, 'input') });
const set = pinned.sets.get('minbase');
const input = pinned.inputs.get('minbase');
const megabytes = set.packages.reduce((n, p) => n + p.size, 0) / 1e6;
console.log(`${SUITE} minbase + ${PACKAGES.join(',')}: ${set.packages.length} .debs, ${megabytes.toFixed(1)} MB`);

// Baseline: plain mmdebstrap from a local repository of the same files.
const repo = await makeLocalRepo({ inputDir: input.path, files: input.files, dir: join(work, 'repo'), suite: SUITE });
// mmdebstrap reports its own duration ("I: success in 18.5 seconds"): what
// the stage spends outside it is its overhead, a figure that load on the
// machine disturbs far less than the totals.
const inside = [];
const mmdebstrapSeconds = (text) => {
  const m = /I: success in ([\d.]+) seconds/.exec(text);
  if (!m) throw new Error(`no "success in" line from mmdebstrap:\n${text.slice(-2000)}`);
  return Number(m[1]) * 1000;
};
const baseline = (tree) => {
  const r = spawnSync(
    'mmdebstrap',
    ['--mode=root', '--variant=minbase', `--include=${PACKAGES.join(',')}`, '--skip=check/signed-by', SUITE, tree, repo.sourcesLine],
    { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] },
  );
  if (r.status !== 0) throw new Error(`mmdebstrap failed:\n${r.stderr}`);
};

// Our stage, as the engine runs it: in the sandbox, the input bound read-only.
const packageDir = join(root, 'packages', 'stage-debian-rootfs');
const stage = async (tree) => {
  let output = '';
  const result = await runInSandbox({
    entry: join(packageDir, 'dist', 'main.js'),
    packageDir,
    root: null,
    tree,
    inputs: [{ name: 'debs', hostPath: input.path }],
    arguments: sandboxArguments({ options: { suite: SUITE, variant: 'minbase', packages: PACKAGES }, inputs: { debs: { files: input.files } } }),
    timeoutMs: 1_800_000,
    onOutput: (line) => (output += `${line}\n`),
  });
  if (result.exitCode !== 0) throw new Error(`stage failed:\n${result.outputTail.join('\n')}`);
  inside.push(mmdebstrapSeconds(output));
};

// The engine: a project whose node_modules has the stage and the curl source,
// a pinned manifest, and a store whose source cache already holds the .debs.
const project = join(work, 'project');
mkdirSync(join(project, 'node_modules', '@osbuild-ts'), { recursive: true });
writeFileSync(join(project, 'package.json'), '{"name": "bench-debian", "private": true}\n');
for (const pkg of ['stage-debian-rootfs', 'source-curl']) {
  symlinkSync(join(root, 'packages', pkg), join(project, 'node_modules', '@osbuild-ts', pkg));
}
const manifest = join(work, 'manifest.json');
writeFileSync(
  manifest,
  JSON.stringify({
    version: '2',
    sources: { 'org.osbuild.curl': { items: curlItems(set.packages) } },
    pipelines: [
      {
        name: 'os',
        stages: [
          {
            type: 'io.github.osbuild-ts.debian.rootfs',
            options: { suite: SUITE, variant: 'minbase', packages: PACKAGES },
            inputs: { debs: { type: 'org.osbuild.files', origin: 'org.osbuild.source', references: references(set.packages) } },
          },
        ],
      },
    ],
  }),
);
// Without `out` osbuild builds nothing (as upstream: checkpoints alone build
// nothing) but still loads, validates and checks every source: the fixed cost.
const osbuild = (store, out) =>
  spawnSync(
    process.execPath,
    [
      join(root, 'packages', 'cli', 'bin', 'osbuild.js'),
      '--libdir', project, '--store', store, '--checkpoint', 'os', '--cache-max-size', 'unlimited',
      ...(out ? ['--export', 'os', '--output-directory', out] : []),
      manifest,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] },
  );
const seedStore = (store) => {
  const sources = join(store, 'sources', 'org.osbuild.files');
  mkdirSync(sources, { recursive: true });
  for (const checksum of Object.keys(input.files)) linkSync(join(input.path, checksum), join(sources, checksum));
};

let engineSkipped = null;
const times = { baseline: [], stage: [], engineCold: [], engineWarm: [], engineWarmBuild: [], node: [], copy: [] };
const tree = join(work, 'tree');
const runBaseline = async () => {
  times.baseline.push(await timed(() => baseline(tree)));
  rmSync(tree, { recursive: true, force: true });
};
const runStage = async () => {
  mkdirSync(tree);
  times.stage.push(await timed(() => stage(tree)));
  rmSync(tree, { recursive: true, force: true });
};
const runEngine = async () => {
  if (engineSkipped !== null) return;
  const store = join(work, 'store');
  const out = join(work, 'out');
  seedStore(store);
  let r;
  const cold = await timed(() => (r = osbuild(store, out)));
  if (r.status !== 0) {
    engineSkipped = r.stderr.trim().split('\n').slice(0, 2).join(' / ');
  } else {
    times.engineCold.push(cold);
    // What a warm export costs beyond the build: a copy of the tree.
    times.copy.push(await timed(() => spawnSync('cp', ['-a', join(out, 'os'), join(work, 'copy')])));
    rmSync(join(work, 'copy'), { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
    times.engineWarm.push(await timed(() => (r = osbuild(store, out))));
    times.engineWarmBuild.push(await timed(() => (r = osbuild(store, null))));
    times.node.push(await timed(() => spawnSync(process.execPath, ['-e', '0'])));
  }
  rmSync(store, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
};
// ABBA order: a drift in the machine's load hits both sides alike.
for (let i = 0; i < RUNS; i++) {
  const order = i % 2 === 0 ? [runBaseline, runStage, runEngine] : [runEngine, runStage, runBaseline];
  for (const step of order) await step();
}

const base = median(times.baseline);
const line = (label, xs) => `${label} ${seconds(median(xs))} (${(median(xs) / base).toFixed(2)}× mmdebstrap)`;
console.log(`mmdebstrap --variant=minbase (local repo):     ${seconds(base)}  [runs: ${times.baseline.map(seconds).join(', ')}]`);
console.log(`${line('debian.rootfs stage, sandbox, cold:        ', times.stage)}  [runs: ${times.stage.map(seconds).join(', ')}]; goal ≤ 1.2×`);
const paired = median(times.stage.map((t, i) => t / times.baseline[i]));
const overhead = median(times.stage.map((t, i) => t - inside[i]));
console.log(`  median of the paired ratios (stage/mmdebstrap, same round): ${paired.toFixed(2)}×`);
console.log(
  `  outside mmdebstrap (index, sandbox, cleanup): ${seconds(overhead)}; ` +
    `mmdebstrap + that = ${((base + overhead) / base).toFixed(2)}× mmdebstrap (the estimate load disturbs least)`,
);
if (engineSkipped) {
  console.log(`engine cold/warm: skipped: ${engineSkipped}`);
} else {
  console.log(`${line('osbuild cold (sources cached, empty store):', times.engineCold)}; goal ≤ 1.2×`);
  console.log(`${line('osbuild warm (same store), --export os:    ', times.engineWarm)}; cp -a of the tree ${seconds(median(times.copy))}`);
  const node = median(times.node);
  console.log(
    `osbuild warm without --export (validate, sources checked, nothing to build): ${median(times.engineWarmBuild).toFixed(0)} ms = ${(median(times.engineWarmBuild) / node).toFixed(2)}× \`node -e 0\` (${node.toFixed(0)} ms); goal ≤ 2×`,
  );
}
if (values.json) {
  console.log(JSON.stringify({ packages: set.packages.length, megabytes, times, mmdebstrapInsideStage: inside, engineSkipped }));
}

#!/usr/bin/env node
// org.osbuild.rpm: installing the stage's fixture RPMs (filesystem, a static
// busybox as /bin/sh, a library with a Lua %post, an application with a shell
// %post) plus N generated small RPMs (one spec, N subpackages of three files
// each, built once with rpmbuild and cached).
//
//   baseline  rpm --root TREE --dbpath /var/lib/rpm --nosignature -i of the
//             same files (the list in a manifest file, as the stage passes it)
//   stage     org.osbuild.rpm as the engine runs it: in the sandbox, /dev,
//             /proc and /sys mounted into the tree, the metadata query after
//   engine    `osbuild` on a v2 manifest of the same files, sources already in
//             a fresh store, the tree exported (for reference)
//
// Rounds alternate (ABBA) so a drift in the machine's load hits both sides
// alike; medians and the median of the per-round ratios are printed.
// Needs root, rpmbuild, bubblewrap and `pnpm build`.
//
// Options: --runs N (rounds, 4) --packages N (generated RPMs, 300)
//          --dir DIR (where the trees and the store go; default the OS temporary
//          directory; /dev/shm takes the disk's fdatasync waits, which the
//          machine's I/O load makes noisy, out of both sides)
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildOurs, fixtureRpms, root, rpmManifest, seedStore } from './lib/rpm-builds.mjs';
import { median } from './lib/measure.mjs';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '4' }, packages: { type: 'string', default: '300' }, dir: { type: 'string', default: tmpdir() } } });
const RUNS = Number(values.runs);
const GENERATED = Number(values.packages);
const [{ runInSandbox }, { sandboxArguments, buildRpms }] = await Promise.all([
  import(join(root, 'packages', 'sandbox', 'dist', 'index.js')),
  import(join(root, 'packages', 'plugin-kit', 'dist', 'testing.js')),
]);

const work = mkdtempSync(join(values.dir, 'bench-rpm-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

// One spec, GENERATED subpackages: one rpmbuild instead of hundreds.
function generatedSpec(n) {
  const lines = [
    'Name: osbt-gen', 'Version: 1', 'Release: 1', 'Summary: Generated packages for the rpm bench', 'License: Apache-2.0', 'BuildArch: noarch',
    '%description', 'Generated.', '%install',
    `for i in $(seq -w 1 ${n}); do d=%{buildroot}/usr/share/osbt-gen/$i; mkdir -p $d; for f in a b c; do head -c 2048 /dev/urandom > $d/$f; done; done`,
    '%files', '%dir /usr/share/osbt-gen',
  ];
  for (let i = 1; i <= n; i++) {
    const id = String(i).padStart(String(n).length, '0');
    lines.push(`%package ${id}`, `Summary: generated ${id}`, 'Requires: osbt-filesystem', `%description ${id}`, `Generated package ${id}.`, `%files ${id}`, `/usr/share/osbt-gen/${id}`);
  }
  return `${lines.join('\n')}\n`;
}
const specDir = join(work, 'specs');
mkdirSync(specDir);
writeFileSync(join(specDir, 'osbt-gen.spec'), generatedSpec(GENERATED));
console.log(`building ${GENERATED} generated RPMs (cached after the first run)…`);
// The main package only owns a directory; the subpackages are the load.
const rpms = [...fixtureRpms(), ...buildRpms({ specDir }).filter((r) => r.name !== 'osbt-gen')];
const input = join(work, 'input');
mkdirSync(input);
for (const r of rpms) copyFileSync(r.source, join(input, r.checksum));
const files = Object.fromEntries(rpms.map((r) => [r.checksum, {}]));
console.log(`${rpms.length} RPMs; trees in ${work}`);

const timed = (fn) => {
  const t0 = performance.now();
  return Promise.resolve(fn()).then(() => (performance.now() - t0) / 1000);
};
const list = join(work, 'list');
writeFileSync(list, rpms.map((r) => `${r.checksum}\n`).join(''));
const baseline = (tree) => {
  const r = spawnSync('rpm', ['--root', tree, '--dbpath', '/var/lib/rpm', '--nosignature', '-i', list], { cwd: input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`rpm -i failed:\n${r.stderr}`);
};
const packageDir = join(root, 'packages', 'stage-rpm');
const options = { dbpath: '/var/lib/rpm' };
const stage = async (tree) => {
  const result = await runInSandbox({
    entry: join(packageDir, 'dist', 'main.js'),
    packageDir,
    root: null,
    tree,
    inputs: [{ name: 'packages', hostPath: input }],
    arguments: sandboxArguments({ options, inputs: { packages: { files } } }),
    timeoutMs: 1_800_000,
    onOutput: () => {},
  });
  if (result.exitCode !== 0) throw new Error(`stage failed:\n${result.outputTail.join('\n')}`);
};
const manifestFile = join(work, 'manifest.json');
writeFileSync(manifestFile, JSON.stringify(rpmManifest(rpms, options)));
const engine = () => {
  const store = join(work, 'store');
  seedStore(store, rpms);
  const r = buildOurs({ manifestFile, store, out: join(work, 'out') });
  if (r.status !== 0) throw new Error(`osbuild failed:\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
  rmSync(store, { recursive: true, force: true });
  rmSync(join(work, 'out'), { recursive: true, force: true });
};

const times = { baseline: [], stage: [], engine: [] };
const tree = join(work, 'tree');
const ways = {
  baseline: async () => {
    mkdirSync(tree);
    times.baseline.push(await timed(() => baseline(tree)));
    rmSync(tree, { recursive: true, force: true });
  },
  stage: async () => {
    mkdirSync(tree);
    times.stage.push(await timed(() => stage(tree)));
    rmSync(tree, { recursive: true, force: true });
  },
  engine: async () => times.engine.push(await timed(engine)),
};
// A warm-up round (page cache, compile cache), not counted.
for (const way of Object.values(ways)) await way();
for (const k of Object.keys(times)) times[k] = [];
for (let i = 0; i < RUNS; i++) {
  const order = i % 2 === 0 ? ['baseline', 'stage', 'engine'] : ['engine', 'stage', 'baseline'];
  for (const name of order) await ways[name]();
}
const s = (x) => `${x.toFixed(2)} s`;
const base = median(times.baseline);
console.log(`rpm --root -i, ${rpms.length} RPMs:             ${s(base)}  [runs: ${times.baseline.map(s).join(', ')}]`);
console.log(`org.osbuild.rpm stage, sandbox:      ${s(median(times.stage))} (${(median(times.stage) / base).toFixed(2)}× rpm)  [runs: ${times.stage.map(s).join(', ')}]; goal ≤ 1.2×`);
console.log(`  median of the paired ratios (same round): ${median(times.stage.map((t, i) => t / times.baseline[i])).toFixed(2)}×`);
console.log(`osbuild, fresh store, export:        ${s(median(times.engine))} (${(median(times.engine) / base).toFixed(2)}× rpm)  [runs: ${times.engine.map(s).join(', ')}]`);

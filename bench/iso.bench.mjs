#!/usr/bin/env node
// org.osbuild.squashfs and org.osbuild.xorrisofs (issue 16) on the Debian
// sample tree (minbase + linux-image-amd64 + systemd-sysv + udev, about
// 600 MB, the tree bench/qemu uses, cached by debianTreeTarball) against
// the bare tools on the same tree in the same run:
//
//   mksquashfs  mksquashfs TREE OUT -noappend -no-progress (gzip, defaults)
//   squashfs    the stage's entry (node dist/main.js, as runStageLocally
//               runs it) with a source epoch: the same mksquashfs plus
//               -reproducible -mkfs-time -all-time
//   xorrisofs   xorrisofs -rock -joliet -V DEBIAN -o OUT TREE
//   iso         the stage's entry with a source epoch: the same plus
//               --modification-date, --set_all_file_dates, --gpt_disk_guid
//
// Runs alternate (tool, stage, tool, stage…) so load on the machine hits
// both alike, after the tree is read once into the page cache (untimed). Medians and the
// ratio to the bare tool are printed; the goal is ≤ 1.1×.
// Needs root, mmdebstrap (first run), squashfs-tools, xorriso; `pnpm build` first.
//
// Options: --runs N (2) --json

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const root = join(import.meta.dirname, '..');
const dist = (pkg, file) => join(root, 'packages', pkg, 'dist', file);
const { makeDebianTree } = await import(dist('plugin-kit', 'testing.js')).catch((error) => {
  console.error('bench/iso: build the packages first: pnpm build');
  throw error;
});

const { values } = parseArgs({ options: { runs: { type: 'string', default: '2' }, json: { type: 'boolean', default: false } } });
const RUNS = Number(values.runs);
const EPOCH = 1700000000;

const work = mkdtempSync('/var/tmp/osbuild-ts-bench-iso-');
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const tree = join(work, 'tree');
await makeDebianTree(tree, { include: ['linux-image-amd64', 'systemd-sysv', 'udev'] });
const du = spawnSync('du', ['-sm', tree], { encoding: 'utf8' }).stdout.split('\t')[0];

function run(command, args, env = {}) {
  const r = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${r.stderr}`);
}

/** One stage run through its entry, the way runStageLocally starts it. */
function stage(pkg, options) {
  const dir = join(work, pkg);
  const out = join(dir, 'out');
  mkdirSync(out, { recursive: true });
  const args = join(dir, 'arguments.json');
  const meta = join(dir, 'meta.json');
  writeFileSync(
    args,
    JSON.stringify({ tree: out, paths: { devices: '/dev', inputs: '', mounts: '' }, devices: {}, inputs: { tree: { path: tree } }, mounts: {}, options, meta: { id: '0'.repeat(64), 'source-epoch': EPOCH } }),
  );
  writeFileSync(meta, '');
  return () => {
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out);
    run(process.execPath, [dist(pkg, 'main.js')], { OSBUILD_ARGUMENTS_FILE: args, OSBUILD_META_FILE: meta, SOURCE_DATE_EPOCH: String(EPOCH) });
  };
}

const bare = join(work, 'bare');
mkdirSync(bare);
const cases = {
  mksquashfs: () => run('mksquashfs', [tree, join(bare, 'fs.squashfs'), '-noappend', '-no-progress']),
  squashfs: stage('stage-squashfs', { filename: 'fs.squashfs' }),
  xorrisofs: () => run('xorrisofs', ['-rock', '-joliet', '-V', 'DEBIAN', '-o', join(bare, 'tree.iso'), tree]),
  iso: stage('stage-xorrisofs', { filename: 'tree.iso', volid: 'DEBIAN' }),
};

const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
// Warm-up: the tree in the page cache (read once, untimed), so no side
// pays for the disk; a full untimed round of every case would double the
// run on slow machines.
// (Through a pipe: GNU tar reads nothing when it writes to /dev/null.)
run('sh', ['-c', 'tar -cf - -C "$1" . | wc -c', 'sh', tree]);
for (let i = 0; i < RUNS; i++) {
  for (const [name, once] of Object.entries(cases)) {
    const start = process.hrtime.bigint();
    once();
    times[name].push(Number(process.hrtime.bigint() - start) / 1e9);
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s = (x) => `${x.toFixed(2)} s`;
const result = {
  treeMegabytes: Number(du),
  runs: RUNS,
  medians: Object.fromEntries(Object.entries(times).map(([k, xs]) => [k, median(xs)])),
  squashfsRatio: median(times.squashfs) / median(times.mksquashfs),
  isoRatio: median(times.iso) / median(times.xorrisofs),
};
if (values.json) {
  console.log(JSON.stringify(result));
} else {
  console.log(`Debian tree: ${du} MB, ${RUNS} runs each, the tree in the page cache`);
  console.log(`mksquashfs (bare):        ${s(result.medians.mksquashfs)}  [${times.mksquashfs.map(s).join(', ')}]`);
  console.log(`org.osbuild.squashfs:     ${s(result.medians.squashfs)}  [${times.squashfs.map(s).join(', ')}]  ${result.squashfsRatio.toFixed(2)}× mksquashfs; goal ≤ 1.1×`);
  console.log(`xorrisofs (bare):         ${s(result.medians.xorrisofs)}  [${times.xorrisofs.map(s).join(', ')}]`);
  console.log(`org.osbuild.xorrisofs:    ${s(result.medians.iso)}  [${times.iso.map(s).join(', ')}]  ${result.isoRatio.toFixed(2)}× xorrisofs; goal ≤ 1.1×`);
}

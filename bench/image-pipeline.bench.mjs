#!/usr/bin/env node
// v2 image pipelines (issue 9): the disk of samples/debian-minimal built two
// ways from the same `os` tree, through `osbuild`, in one run:
//
//   loop devices  osbuild's image pipeline: truncate, sfdisk, mkfs.fat and
//                 mkfs.ext4 on org.osbuild.loopback devices, org.osbuild.copy
//                 into an org.osbuild.ext4 mount, mtools.copy for the ESP,
//                 grub2.inst (image-pipeline.in.json, pipeline `image`)
//   per stage     the loop-device route again with OSBUILD_TS_CHAIN_DEVICES=0:
//                 every device stage committed as its own layer (as before
//                 consecutive device stages shared one, issue 19)
//   no mounts     io.github.osbuild-ts.disk-image, the org.osbuild.qemu
//                 assembler as a v2 stage (manifest.in.json, pipeline `image`)
//
// Both write a raw image (the qcow2 conversion, the same qemu-img call on
// either route, is left out: it dominates and is no difference between them).
// The `os` tree is built once, untimed; each round gives the image pipelines
// a new source-epoch so they miss the cache while `os` hits. Rounds alternate
// (ABBA); medians and the ratio are printed, plus the plain `cp -a` of the
// tree as a yardstick for what a copy of it costs here.
// Needs root, the Debian mirror in the host's apt configuration (pinning),
// and the packages built (`pnpm build`).
//
// Options: --runs N (3) --json
import { spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const root = join(import.meta.dirname, '..');
const sample = join(root, 'samples', 'debian-minimal');
const osbuildBin = join(root, 'node_modules', '.bin', 'osbuild');
const pinBin = join(root, 'node_modules', '.bin', 'osbuild-debian-pin');
const DEB_CACHE = '/var/cache/osbuild-ts/test-debs';
const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, json: { type: 'boolean', default: false } } });
const RUNS = Number(values.runs);

const work = mkdtempSync('/var/tmp/osbuild-ts-bench-image-');
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const store = join(work, 'store');

function run(command, args, env = process.env) {
  const r = spawnSync(command, args, { cwd: root, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${(r.stdout + r.stderr).slice(-4000)}`);
  return r;
}
function timed(fn) {
  const started = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - started) / 1e9;
}
function linkMissing(from, to) {
  mkdirSync(to, { recursive: true });
  if (!existsSync(from)) return;
  const present = new Set(readdirSync(to));
  for (const name of readdirSync(from)) if (!present.has(name)) linkSync(join(from, name), join(to, name));
}

// Pin both templates (same description, so the same .debs) and make raw-image variants.
const manifests = {};
for (const [route, template] of [['nomount', 'manifest.in.json'], ['loop', 'image-pipeline.in.json']]) {
  const file = join(work, `${route}.json`);
  run(pinBin, ['-q', '--fetch', DEB_CACHE, '--template', join(sample, template), '--output', file, `debian=${join(sample, 'debian.json')}`]);
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  if (route === 'nomount') manifest.pipelines.find((p) => p.name === 'image').stages[0].options.format = 'raw';
  manifests[route] = manifest;
}
linkMissing(DEB_CACHE, join(store, 'sources', 'org.osbuild.files'));

const stageTimes = {};
function build(route, epoch, exportName, env = process.env) {
  const manifest = structuredClone(manifests[route]);
  for (const p of manifest.pipelines) if (p.name !== 'os') p['source-epoch'] = epoch;
  const file = join(work, `${route}-${epoch}.json`);
  writeFileSync(file, JSON.stringify(manifest));
  const out = join(work, `out-${route}-${epoch}`);
  let result;
  const seconds = timed(() => (result = run(osbuildBin, ['--json', '--store', store, '--cache-max-size', 'unlimited', '--export', exportName, '--output-directory', out, file], env)));
  rmSync(out, { recursive: true, force: true });
  // Where the time goes: each stage's own duration (sandbox start to exit, devices and mounts included), by route.
  for (const st of JSON.parse(result.stdout)['osbuild-ts'].stages) {
    if (st.cached) continue;
    const byType = (stageTimes[route + (env === process.env ? '' : ' per stage')] ??= {});
    (byType[st.type] ??= []).push(st.duration);
  }
  return seconds;
}

// The os tree, once, untimed; and a copy of it as the yardstick.
const osOut = join(work, 'os-tree');
run(osbuildBin, ['--store', store, '--cache-max-size', 'unlimited', '--export', 'os', '--output-directory', osOut, join(work, 'nomount.json')]);
const du = spawnSync('du', ['-sm', join(osOut, 'os')], { encoding: 'utf8' }).stdout.split('\t')[0];

const times = { loop: [], perStage: [], nomount: [], cp: [] };
const steps = {
  loop: (epoch) => times.loop.push(build('loop', epoch, 'image')),
  // Another epoch: its own cache keys, so it misses like the others.
  perStage: (epoch) => times.perStage.push(build('loop', epoch + 1000, 'image', { ...process.env, OSBUILD_TS_CHAIN_DEVICES: '0' })),
  nomount: (epoch) => times.nomount.push(build('nomount', epoch, 'image')),
  cp: () => {
    const copy = join(work, 'copy');
    times.cp.push(timed(() => run('cp', ['-a', join(osOut, 'os'), copy])));
    rmSync(copy, { recursive: true, force: true });
  },
};
for (let i = 0; i < RUNS; i++) {
  const order = i % 2 === 0 ? ['loop', 'perStage', 'nomount', 'cp'] : ['cp', 'nomount', 'perStage', 'loop'];
  for (const step of order) steps[step](1700000000 + i + 1);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s = (x) => `${x.toFixed(2)} s`;
console.log(`tree: ${du} MB (samples/debian-minimal, os pipeline); disk 2 GiB raw, GPT: BIOS boot, ESP, ext4 root`);
console.log(`no mounts (io.github.osbuild-ts.disk-image):  ${s(median(times.nomount))}  [runs: ${times.nomount.map(s).join(', ')}]`);
console.log(`loop devices (osbuild's v2 image pipeline):   ${s(median(times.loop))}  [runs: ${times.loop.map(s).join(', ')}]  = ${(median(times.loop) / median(times.nomount)).toFixed(2)}× no mounts`);
console.log(`loop devices, a layer per stage:              ${s(median(times.perStage))}  [runs: ${times.perStage.map(s).join(', ')}]  = ${(median(times.perStage) / median(times.nomount)).toFixed(2)}× no mounts`);
console.log(`cp -a of the tree (yardstick):                ${s(median(times.cp))}  [runs: ${times.cp.map(s).join(', ')}]`);
for (const [route, byType] of Object.entries(stageTimes)) {
  console.log(`  stages of ${route} (median s): ${Object.entries(byType).map(([type, xs]) => `${type} ${median(xs).toFixed(2)}`).join(', ')}`);
}
if (values.json) console.log(JSON.stringify({ megabytes: Number(du), times, stageTimes }));

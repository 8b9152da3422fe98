#!/usr/bin/env node
// Output stages (issue 16): writing a Debian tree (mmdebstrap minbase +
// linux-image-amd64, systemd-sysv, udev, cached by plugin-kit's
// debianTreeTarball) as a tar archive and
// as an EROFS image, against the bare tool on the same tree in the same run:
//
//   tar        upstream's command: tar --format=gnu --acls --selinux
//              --xattrs --xattrs-include=* -cf OUT -C TREE .
//   stage-tar  org.osbuild.tar (node dist/main.js, as runStageLocally runs
//              it), with a source epoch: the same plus --sort=name, pax
//              options and mtime clamping (byte-identical archives)
//   mkfs.erofs upstream's command: mkfs.erofs OUT TREE --quiet
//   stage-erofs  org.osbuild.erofs with a source epoch (fixed UUID, build time)
//   cpio / stage-cpio-out  likewise: find | cpio -o -H newc, and the stage
//
// Ways alternate each round after an untimed warm-up (page cache), each
// after a sync; medians of wall time and of CPU time (user + system of the
// way's processes) and each stage's ratios to its bare tool are printed.
// Goal: ≤ 1.1×. On a loaded machine the CPU ratio is the one to trust.
// Needs root, mmdebstrap (first run only), tar, erofs-utils, cpio; `pnpm build` first.
//
// Options: --runs N (5) --json --small

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { measure, median, ms, time } from './lib/measure.mjs';

const root = join(import.meta.dirname, '..');
const dist = (pkg, file) => join(root, 'packages', pkg, 'dist', file);
const { debianTreeTarball, runStageLocally } = await import(dist('plugin-kit', 'testing.js')).catch((error) => {
  console.error('bench/outputs: build the packages first: pnpm build');
  throw error;
});

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, json: { type: 'boolean', default: false }, small: { type: 'boolean', default: false } } });
const RUNS = Number(values.runs);
const EPOCH = 1_700_000_000;

const work = mkdtempSync('/var/tmp/osbuild-ts-bench-outputs-');
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const tree = join(work, 'tree');
mkdirSync(tree);
// The tree bench/qemu uses (about 600 MB), so its cached tarball is shared;
// --small takes the 150 MB one of plugin-kit's stage cases instead.
const tarball = await debianTreeTarball({ include: values.small ? ['login', 'passwd', 'systemd'] : ['linux-image-amd64', 'systemd-sysv', 'udev'] });
sh(`tar -xpf '${tarball}' -C '${tree}' --numeric-owner --xattrs --xattrs-include='*'`);
const du = spawnSync('du', ['-sm', tree], { encoding: 'utf8' }).stdout.split('\t')[0];
const out = join(work, 'out');
mkdirSync(out);

function sh(script) {
  const r = spawnSync('sh', ['-ec', script], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`failed: ${script}`);
}

// Each way starts after the previous one's writes reached the disk (sync),
// so none pays for another's write-back.
function fresh() {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out);
  sh('sync');
}

/**
 * CPU seconds (user + system) of this process's waited-for children so
 * far, from /proc/self/stat (cutime, cstime): what a way cost the machine,
 * which a loaded machine (other jobs on 2 cores) does not inflate the way
 * it inflates wall time.
 */
function childCpu() {
  const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/** {way: wall seconds, 'way cpu': CPU seconds}. */
async function timed(name, fn) {
  const cpu = childCpu();
  const wall = await time(fn);
  return { [name]: wall, [`${name} cpu`]: childCpu() - cpu };
}

async function stage(pkg, options) {
  fresh();
  return timed(pkg, async () => {
    const r = await runStageLocally({ entry: dist(pkg, 'main.js'), tree: out, inputs: { tree: { path: tree } }, options, sourceEpoch: EPOCH, env: { PATH: '/usr/sbin:/usr/bin' } });
    if (r.exitCode !== 0) throw new Error(`${pkg} failed:\n${r.output}`);
  });
}

function bare(name, script) {
  fresh();
  return timed(name, () => sh(script));
}

const ways = {
  tar: () => bare('tar', `tar --format=gnu --acls --selinux --xattrs --xattrs-include='*' -cf '${out}/root.tar' -C '${tree}' .`),
  'stage-tar': () => stage('stage-tar', { filename: 'root.tar' }),
  'mkfs.erofs': () => bare('mkfs.erofs', `mkfs.erofs '${out}/root.erofs' '${tree}' --quiet`),
  'stage-erofs': () => stage('stage-erofs', { filename: 'root.erofs' }),
  cpio: () => bare('cpio', `cd '${tree}' && find . -print0 | cpio -o --null --quiet --format=newc --reproducible -O '${out}/root.cpio'`),
  'stage-cpio-out': () => stage('stage-cpio-out', { filename: 'root.cpio' }),
};
const runs = await measure(ways, RUNS, { rotate: true });
const medians = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v)]));
const pairs = [['stage-tar', 'tar'], ['stage-erofs', 'mkfs.erofs'], ['stage-cpio-out', 'cpio']];
const ratios = Object.fromEntries(
  pairs.flatMap(([a, b]) => [
    [`${a} / ${b} (wall)`, medians[a] / medians[b]],
    [`${a} / ${b} (cpu)`, medians[`${a} cpu`] / medians[`${b} cpu`]],
  ]),
);
const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
if (values.json) console.log(JSON.stringify({ treeMiB: Number(du), runs: RUNS, medians, ratios, load }, null, 2));
else {
  console.log(`Debian tree (minbase + ${values.small ? 'login, passwd, systemd' : 'linux-image-amd64, systemd-sysv, udev'}): ${du} MiB; ${RUNS} rounds after a warm-up; medians; load average ${load}`);
  for (const [k, v] of Object.entries(medians)) console.log(`  ${k.padEnd(20)} ${ms(v)}`);
  for (const [k, v] of Object.entries(ratios)) console.log(`  ${k.padEnd(34)} ${v.toFixed(2)}×  (goal ≤ 1.1×)`);
}

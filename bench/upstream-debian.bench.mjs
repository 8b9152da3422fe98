#!/usr/bin/env node
// Issue 19's headline figures: the same Debian manifests built cold by
// upstream osbuild and by ours, side by side in one run, against the bound
// made of the bare tools doing the same work on the same data.
//
//   tree   a Debian tree (minbase + kernel, systemd, udev: about 600 MB) as
//          one tarball from an org.osbuild.curl source served over http on
//          127.0.0.1 → org.osbuild.untar → users, fstab, hostname, locale,
//          timezone, systemd → `--export os`
//          bound: curl the tarball, sha256sum it, tar -x it where the output
//          goes
//   qcow2  the same `os`, then an image pipeline on loop devices
//          (truncate, sfdisk gpt, mkfs.ext4, org.osbuild.copy into the ext4
//          mount, grub2.inst) and org.osbuild.qemu → `--export qcow2`
//          bound: the tree bound (extracted to a scratch directory), then
//          truncate, sfdisk, mkfs.ext4 -d at the partition's offset,
//          grub-mkimage + dd, qemu-img convert -c: the manifest's qcow2
//          format leaves `compression` at upstream's default, true, so the
//          bound compresses too (zlib, about 18 s of CPU on this image;
//          before 2026-12-07 18:30 it did not, and every "× the bare tools"
//          figure of qcow2 until then compares against work the manifest
//          does not describe). `--uncompressed-tools` gives that old bound.
//
// Every build starts from an empty store (nothing cached, the tarball
// downloaded each time), as a first build on a CI machine does. Rounds turn
// the order of the ways (round 0 is a warm-up that is not counted). Each
// way's wall time and the CPU time of its process tree are printed; ratios
// are medians of per-round ratios. Upstream runs from a checkout:
//   node bench/upstream-debian.bench.mjs --upstream /path/to/osbuild [--runs 3] [--only tree|qcow2] [--work-dir DIR] [--keep] [--baseline BUILT_CHECKOUT] [--uncompressed-tools]
// Needs root, the host's apt mirror (the tree is made once with mmdebstrap
// and cached), python3-jsonschema, /etc/containers, and `pnpm build`.

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runMeasured, loadAverage } from './lib/process-figures.mjs';
import { median } from './lib/measure.mjs';

const repo = join(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    upstream: { type: 'string' },
    runs: { type: 'string', default: '3' },
    only: { type: 'string' },
    // A second built checkout (e.g. the branch point) run as a fourth way, "before", in the same rounds.
    baseline: { type: 'string' },
    'work-dir': { type: 'string', default: '/var/tmp' },
    json: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    // The old qcow2 bound, without `qemu-img convert -c` (see above).
    'uncompressed-tools': { type: 'boolean', default: false },
  },
});
if (!values.upstream) {
  console.error('usage: node bench/upstream-debian.bench.mjs --upstream DIR (an osbuild checkout) [--runs N] [--only tree|qcow2] [--work-dir DIR]');
  process.exit(2);
}
const RUNS = Number(values.runs);
const { debianTreeTarball } = await import(join(repo, 'packages', 'plugin-kit', 'dist', 'testing.js')).catch((error) => {
  console.error('bench/upstream-debian: build the packages first: pnpm build');
  throw error;
});

const work = mkdtempSync(join(values['work-dir'], 'osbuild-ts-bench-upstream-'));
if (values.keep) console.error(`keeping ${work}`);
else process.on('exit', () => rmSync(work, { recursive: true, force: true }));
mkdirSync('/etc/containers', { recursive: true });

function sh(script) {
  const r = spawnSync('sh', ['-ec', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`failed (${r.status}): ${script}\n${r.stderr.slice(-2000)}`);
  return r.stdout;
}

const tarball = await debianTreeTarball({ include: ['linux-image-amd64', 'systemd-sysv', 'udev'] });
const digest = createHash('sha256');
for await (const chunk of createReadStream(tarball)) digest.update(chunk);
const checksum = `sha256:${digest.digest('hex')}`;

// The file server: a process of its own, so serving costs neither side.
const server = spawn(
  process.execPath,
  [
    '-e',
    `const http=require('node:http'),fs=require('node:fs');
     const s=http.createServer((q,r)=>{const st=fs.statSync(process.argv[1]);r.writeHead(200,{'content-length':st.size});fs.createReadStream(process.argv[1]).pipe(r)});
     s.listen(0,'127.0.0.1',()=>console.log(s.address().port));`,
    tarball,
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
process.on('exit', () => server.kill());
const port = await new Promise((resolve, reject) => {
  server.stdout.once('data', (d) => resolve(Number(String(d).trim())));
  server.once('exit', () => reject(new Error('the file server did not start')));
});
const url = `http://127.0.0.1:${port}/tree.tar`;

// Disk layout (512-byte sectors): a BIOS boot partition for grub's core,
// and the root file system.
const DISK_BYTES = 4 * 2 ** 30;
const BOOT = { start: 2048, size: 2048 };
const ROOT = { start: 4096, size: DISK_BYTES / 512 - 4096 - 2048 };
const ROOT_UUID = '6e4ff95f-f662-45ee-a82a-bdf44a2d0b75';
const loop = (extra = {}) => ({ type: 'org.osbuild.loopback', options: { filename: 'disk.raw', ...extra } });

const osPipeline = {
  name: 'os',
  stages: [
    { type: 'org.osbuild.untar', inputs: { file: { type: 'org.osbuild.files', origin: 'org.osbuild.source', references: { [checksum]: {} } } } },
    { type: 'org.osbuild.users', options: { users: { bench: { uid: 1000, home: '/home/bench', shell: '/bin/bash', password: '$6$bench$0123456789abcdef' } } } },
    { type: 'org.osbuild.fstab', options: { filesystems: [{ uuid: ROOT_UUID, vfs_type: 'ext4', path: '/', options: 'defaults' }] } },
    { type: 'org.osbuild.hostname', options: { hostname: 'bench' } },
    { type: 'org.osbuild.locale', options: { language: 'C.UTF-8' } },
    { type: 'org.osbuild.timezone', options: { zone: 'UTC' } },
    { type: 'org.osbuild.systemd', options: { enabled_services: ['systemd-networkd.service'] } },
  ],
};
const imagePipeline = {
  name: 'image',
  stages: [
    { type: 'org.osbuild.truncate', options: { filename: 'disk.raw', size: String(DISK_BYTES) } },
    {
      type: 'org.osbuild.sfdisk',
      options: {
        label: 'gpt',
        uuid: 'D209C89E-EA5E-4FBD-B161-B461CCE297E0',
        partitions: [
          { ...BOOT, type: '21686148-6449-6E6F-744E-656564454649', bootable: true, uuid: 'FAC7F1FB-3E8D-4137-A512-961DE09A5549' },
          { ...ROOT, type: '0FC63DAF-8483-4772-8E79-3D69D8477DE4', uuid: '6264D520-3FB9-423F-8AB8-7A0A8E3D3562' },
        ],
      },
      devices: { device: loop({ lock: true }) },
    },
    { type: 'org.osbuild.mkfs.ext4', options: { uuid: ROOT_UUID, label: 'root' }, devices: { device: loop({ ...ROOT, lock: true }) } },
    {
      type: 'org.osbuild.copy',
      inputs: { tree: { type: 'org.osbuild.tree', origin: 'org.osbuild.pipeline', references: ['name:os'] } },
      options: { paths: [{ from: 'input://tree/', to: 'mount://root/' }] },
      devices: { root: loop({ ...ROOT }) },
      mounts: [{ name: 'root', type: 'org.osbuild.ext4', source: 'root', target: '/' }],
    },
    {
      type: 'org.osbuild.grub2.inst',
      options: {
        filename: 'disk.raw',
        platform: 'i386-pc',
        location: BOOT.start,
        core: { type: 'mkimage', partlabel: 'gpt', filesystem: 'ext4', binary: 'grub-mkimage' },
        prefix: { type: 'partition', partlabel: 'gpt', number: 1, path: '/boot/grub' },
      },
    },
  ],
};
const qcow2Pipeline = {
  name: 'qcow2',
  stages: [
    {
      type: 'org.osbuild.qemu',
      inputs: { image: { type: 'org.osbuild.files', origin: 'org.osbuild.pipeline', references: { 'name:image': { file: 'disk.raw' } } } },
      options: { filename: 'disk.qcow2', format: { type: 'qcow2', compat: '1.1' } },
    },
  ],
};
const sources = { 'org.osbuild.curl': { items: { [checksum]: { url } } } };
const manifests = {
  tree: { version: '2', sources, pipelines: [osPipeline] },
  qcow2: { version: '2', sources, pipelines: [osPipeline, imagePipeline, qcow2Pipeline] },
};
const exports = { tree: 'os', qcow2: 'qcow2' };

// Each way starts from nothing, after the previous one's writes reached the
// disk, so none pays for another's write-back.
const fresh = (...dirs) => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  sh('sync');
};
const store = join(work, 'store');
const out = join(work, 'out');
const scratch = join(work, 'scratch');

function upstreamWay(kind) {
  const file = join(work, `${kind}.json`);
  return () => {
    fresh(store, out);
    return runMeasured(['python3', '-m', 'osbuild', '--libdir', values.upstream, '--store', store, '--output-directory', out, '--export', exports[kind], file], { cwd: values.upstream });
  };
}
function oursWay(kind, checkout = repo) {
  const file = join(work, `${kind}.json`);
  return () => {
    fresh(store, out);
    return runMeasured([join(checkout, 'node_modules', '.bin', 'osbuild'), '--store', store, '--output-directory', out, '--export', exports[kind], file], { cwd: checkout });
  };
}
if (values.keep) for (const kind of ['tree', 'qcow2']) writeFileSync(join(work, `${kind}.json`), JSON.stringify(manifests[kind], null, 2));
const fetchAndExtract = (target) => `
  mkdir -p '${scratch}' '${target}'
  curl --silent --fail -o '${scratch}/tree.tar' '${url}'
  sha256sum '${scratch}/tree.tar' >/dev/null
  tar -x --numeric-owner -p --same-owner --xattrs --xattrs-include='*' -f '${scratch}/tree.tar' -C '${target}'
`;
const grubPrefix = "(hd0,gpt2)/boot/grub";
const boundScripts = {
  tree: fetchAndExtract(`${out}/os`),
  qcow2: `${fetchAndExtract(`${scratch}/tree`)}
  mkdir -p '${out}/qcow2'
  disk='${scratch}/disk.raw'
  truncate -s ${DISK_BYTES} "$disk"
  printf 'label: gpt\\nstart=${BOOT.start}, size=${BOOT.size}, type=21686148-6449-6E6F-744E-656564454649\\nstart=${ROOT.start}, size=${ROOT.size}, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4\\n' | sfdisk -q "$disk"
  mkfs.ext4 -q -F -U ${ROOT_UUID} -L root -d '${scratch}/tree' -E offset=${ROOT.start * 512} "$disk" ${(ROOT.size * 512) / 1024}k
  grub-mkimage -O i386-pc -o '${scratch}/core.img' -p '${grubPrefix}' biosdisk part_gpt ext2
  dd if=/usr/lib/grub/i386-pc/boot.img of="$disk" bs=440 count=1 conv=notrunc status=none
  dd if='${scratch}/core.img' of="$disk" bs=512 seek=${BOOT.start} conv=notrunc status=none
  qemu-img convert -O qcow2 ${values['uncompressed-tools'] ? '' : '-c '}-o compat=1.1 "$disk" '${out}/qcow2/disk.qcow2'
`,
};
function boundWay(kind) {
  const file = join(work, `bound-${kind}.sh`);
  return () => {
    fresh(scratch, out);
    return runMeasured(['sh', '-e', file]);
  };
}

const kinds = values.only ? [values.only] : ['tree', 'qcow2'];
const results = {};
for (const kind of kinds) {
  writeFileSync(join(work, `${kind}.json`), JSON.stringify(manifests[kind], null, 2));
  writeFileSync(join(work, `bound-${kind}.sh`), boundScripts[kind]);
  const ways = { upstream: upstreamWay(kind), ours: oursWay(kind), bound: boundWay(kind), ...(values.baseline ? { before: oursWay(kind, values.baseline) } : {}) };
  const names = Object.keys(ways);
  const rows = Object.fromEntries(names.map((n) => [n, []]));
  const loads = [loadAverage()];
  for (let round = 0; round <= RUNS; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length];
      const figures = ways[name]();
      if (round > 0) rows[name].push(figures);
      if (!values.json) console.error(`${kind} round ${round} ${name}: ${figures.wall.toFixed(1)} s wall, ${figures.cpu.toFixed(1)} s CPU (load ${loadAverage()})`);
    }
  }
  loads.push(loadAverage());
  fresh(store, out, scratch);
  const ratio = (a, b, key) => median(rows[a].map((r, i) => r[key] / rows[b][i][key]));
  results[kind] = {
    loads,
    wall: Object.fromEntries(names.map((n) => [n, median(rows[n].map((r) => r.wall))])),
    cpu: Object.fromEntries(names.map((n) => [n, median(rows[n].map((r) => r.cpu))])),
    oursVsUpstream: { wall: ratio('ours', 'upstream', 'wall'), cpu: ratio('ours', 'upstream', 'cpu') },
    oursVsBound: { wall: ratio('ours', 'bound', 'wall'), cpu: ratio('ours', 'bound', 'cpu') },
    upstreamVsBound: { wall: ratio('upstream', 'bound', 'wall'), cpu: ratio('upstream', 'bound', 'cpu') },
    ...(values.baseline ? { oursVsBefore: { wall: ratio('ours', 'before', 'wall'), cpu: ratio('ours', 'before', 'cpu') }, beforeVsBound: { wall: ratio('before', 'bound', 'wall'), cpu: ratio('before', 'bound', 'cpu') } } : {}),
  };
}

server.kill();
if (values.json) {
  console.log(JSON.stringify({ runs: RUNS, results }, null, 2));
} else {
  console.log(`${RUNS} rounds after a warm-up, cold builds from empty stores; medians`);
  console.log('| manifest | upstream | ours | bare tools | ours / upstream | ours / bare tools | upstream / bare tools | load before → after |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const [kind, r] of Object.entries(results)) {
    const cell = (n) => `${r.wall[n].toFixed(1)} s (${r.cpu[n].toFixed(1)} s CPU)`;
    const x = (q) => `${q.wall.toFixed(2)}× wall, ${q.cpu.toFixed(2)}× CPU`;
    console.log(`| ${kind} | ${cell('upstream')} | ${cell('ours')} | ${cell('bound')} | ${x(r.oursVsUpstream)} | ${x(r.oursVsBound)} | ${x(r.upstreamVsBound)} | ${r.loads.join(' → ')} |`);
    if (r.oursVsBefore) console.log(`| ${kind}, before (${values.baseline}) | | ${cell('before')} | | | ${x(r.beforeVsBound)} | | ours / before: ${x(r.oursVsBefore)} |`);
  }
}

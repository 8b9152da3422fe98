#!/usr/bin/env node
// Store size on the loop-device route (issue 19): a 512 MiB GPT disk built
// through org.osbuild.loopback devices — truncate, sfdisk, mkfs.ext4, then
// two org.osbuild.copy stages into an org.osbuild.ext4 mount — from a small
// `os` tree. Each device stage's layer holds its own copy of disk.raw
// (overlay copies a file up whole when it is opened for writing); what the
// store keeps of them is the figure here:
//
//   store      blocks under objects/ (du) after the build
//   largest    blocks of the largest object (the last image layer)
//   exported   blocks of the exported disk.raw (`cp -a` makes it sparse)
//
// Goal: store ≤ 1.1× (largest object + sources). With --store-dir the store
// goes there (e.g. an xfs or btrfs mount, where overlay's copy-up is a
// reflink and the layers share the image's blocks: `df` shows the space
// really used, du counts shared blocks once per file). Needs root, loop
// devices and the packages built (`pnpm build`).
//
// OSBUILD_TS_CHAIN_DEVICES=0 in the environment: each device stage on a
// layer of its own (as before issue 19), for the comparison.
//
// Options: --store-dir DIR --json
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadAverage, nodeArgs, runMeasured } from './lib/process-figures.mjs';

const root = join(import.meta.dirname, '..');
const cli = join(root, 'packages', 'cli', 'bin', 'osbuild.js');
const { values } = parseArgs({ options: { 'store-dir': { type: 'string' }, json: { type: 'boolean', default: false } } });
const work = mkdtempSync(join(values['store-dir'] ?? '/var/tmp', 'osbuild-ts-bench-image-store-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

const part = { start: 2048, size: 1040000 };
const device = () => ({ type: 'org.osbuild.loopback', options: { filename: 'disk.raw', start: part.start, size: part.size, lock: true } });
const copy = (from, to) => ({
  type: 'org.osbuild.copy',
  inputs: { tree: { type: 'org.osbuild.tree', origin: 'org.osbuild.pipeline', references: ['name:os'] } },
  options: { paths: [{ from, to }] },
  devices: { root: device() },
  mounts: [{ name: 'root', type: 'org.osbuild.ext4', source: 'root', target: '/' }],
});
const manifest = {
  version: '2',
  pipelines: [
    { name: 'os', stages: [{ type: 'org.osbuild.mkdir', options: { paths: Array.from({ length: 300 }, (_, i) => ({ path: `/usr/share/d${i}/e`, parents: true })) } }] },
    {
      name: 'image',
      stages: [
        { type: 'org.osbuild.truncate', options: { filename: 'disk.raw', size: String(512 * 2 ** 20) } },
        {
          type: 'org.osbuild.sfdisk',
          options: { label: 'gpt', uuid: 'D209C89E-EA5E-4FBD-B161-B461CCE297E0', partitions: [{ ...part, type: '0FC63DAF-8483-4772-8E79-3D69D8477DE4', uuid: '6264D520-3FB9-423F-8AB8-7A0A8E3D3562' }] },
          devices: { device: { type: 'org.osbuild.loopback', options: { filename: 'disk.raw', lock: true } } },
        },
        { type: 'org.osbuild.mkfs.ext4', options: { uuid: '6e4ff95f-f662-45ee-a82a-bdf44a2d0b75', label: 'root' }, devices: { device: device() } },
        copy('input://tree/', 'mount://root/'),
        copy('input://tree/usr/share/d1', 'mount://root/again'),
      ],
    },
  ],
};
const file = join(work, 'image.json');
writeFileSync(file, JSON.stringify(manifest));
const store = join(work, 'store');
const out = join(work, 'out');

const du = (...paths) => Number(execFileSync('du', ['-s', '-c', '--block-size=1', ...paths], { encoding: 'utf8' }).trim().split('\n').pop().split('\t')[0]);
const dfUsed = () => Number(execFileSync('df', ['--output=used', '--block-size=1', work], { encoding: 'utf8' }).trim().split('\n').pop());
const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

execFileSync('sync');
const before = dfUsed();
const build = runMeasured([...nodeArgs(cli), '--libdir', root, '--quiet', '--store', store, '--export', 'image', '--output-directory', out, file]);
execFileSync('sync');
const used = dfUsed() - before;
const objects = readdirSync(join(store, 'objects')).map((key) => du(join(store, 'objects', key)));
const total = du(join(store, 'objects'));
const largest = Math.max(...objects);
const sources = du(join(store, 'sources'));
const exported = du(join(out, 'image', 'disk.raw'));
const fs = execFileSync('findmnt', ['-n', '-o', 'FSTYPE', '-T', work], { encoding: 'utf8' }).trim();

console.log(`store on ${fs}; build ${(build.wall * 1000).toFixed(0)} ms wall, ${(build.cpu * 1000).toFixed(0)} ms cpu, peak RSS ${build.selfRss.toFixed(0)} MB (load ${loadAverage()})`);
console.log(`objects: ${objects.length}, ${mb(total)} in all (du); largest ${mb(largest)}; sources ${mb(sources)}; each: ${objects.map(mb).join(', ')}`);
console.log(`store / (largest + sources) = ${(total / (largest + sources)).toFixed(2)}× (goal ≤ 1.1×)`);
console.log(`exported disk.raw: ${mb(exported)}`);
// df only means something on a file system nothing else writes to meanwhile (a dedicated --store-dir mount).
if (values['store-dir'] !== undefined) console.log(`space the build took on ${values['store-dir']} (df, store + export): ${mb(used)}`);
if (values.json) console.log(JSON.stringify({ fs, total, largest, sources, exported, used, build }));

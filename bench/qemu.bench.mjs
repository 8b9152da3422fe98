#!/usr/bin/env node
// org.osbuild.qemu (issue 7): assembling a bootable raw disk image from a
// Debian tree (minbase + linux-image-amd64 + systemd-sysv + udev, about
// 600 MB, configured with org.osbuild.grub2) against the least any
// assembler has to do with the same tree in the same run:
//
//   bound     truncate -s SIZE; sfdisk (one partition at 1 MiB);
//             mkfs.ext4 -E offset=1MiB -d TREE (the file system in place)
//   bound, same -E  the bound with the assembler's mke2fs -E options
//             (nodiscard, assume_storage_prezeroed): its overhead alone
//   qemu      the assembler (node dist/main.js, as runStageLocally runs it):
//             the same table and ext4, plus grub's BIOS stages, UUIDs,
//             hash seed; upstream's root_fs_uuid form, format raw
//   qemu+epoch  the same with SOURCE_DATE_EPOCH (debugfs sets every
//             inode's atime/ctime, for bit-identical images)
//   qemu gpt  GPT with a BIOS boot partition, an ESP (vfat, mtools, EFI
//             loader) and the ext4 root, with SOURCE_DATE_EPOCH
//
// Runs alternate (bound, qemu, …) so load on the machine hits all alike,
// after one untimed warm-up each (page cache). Medians and the ratio to the
// bound are printed; the goal is qemu ≤ 1.3× bound.
// Needs root, mmdebstrap (the tree is cached under /var/cache/osbuild-ts),
// e2fsprogs, fdisk, grub-pc-bin, dosfstools, mtools; `pnpm build` first.
//
// Options: --runs N (5) --json

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const root = join(import.meta.dirname, '..');
const dist = (pkg, file) => join(root, 'packages', pkg, 'dist', file);
const { makeDebianTree, runStageLocally } = await import(dist('plugin-kit', 'testing.js')).catch((error) => {
  console.error('bench/qemu: build the packages first: pnpm build');
  throw error;
});

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, json: { type: 'boolean', default: false } } });
const RUNS = Number(values.runs);
const SIZE = 2 * 1024 ** 3;
const ROOT_UUID = '6e4ff95f-f662-45ee-a82a-bdf44a2d0b75';

const work = mkdtempSync('/var/tmp/osbuild-ts-bench-qemu-');
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const tree = join(work, 'tree');
await makeDebianTree(tree, { include: ['linux-image-amd64', 'systemd-sysv', 'udev'] });
mkdirSync(join(tree, 'boot/efi'), { recursive: true });
const grub = await runStageLocally({
  entry: dist('stage-grub2', 'main.js'),
  tree,
  options: { root_fs_uuid: ROOT_UUID, kernel_opts: 'console=ttyS0', legacy: 'i386-pc', uefi: { vendor: 'debian' } },
});
if (grub.exitCode !== 0) throw new Error(`org.osbuild.grub2 failed:\n${grub.output}`);
const du = spawnSync('du', ['-sm', tree], { encoding: 'utf8' }).stdout.split('\t')[0];

function sh(script, env = {}) {
  const r = spawnSync('sh', ['-ec', script], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`failed: ${script}`);
}

/** One assembler run through its entry, the way the engine and runStageLocally start it. */
function assembler(name, options, env = {}) {
  const dir = join(work, name);
  const out = join(dir, 'out');
  mkdirSync(out, { recursive: true });
  const args = join(dir, 'arguments.json');
  const meta = join(dir, 'meta.json');
  writeFileSync(args, JSON.stringify({ tree: out, paths: { devices: '/dev', inputs: '', mounts: '' }, devices: {}, inputs: { tree: { path: tree } }, mounts: {}, options, meta: { id: '0'.repeat(64) } }));
  writeFileSync(meta, '');
  return () => {
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out);
    sh(`exec "${process.execPath}" "${dist('assembler-qemu', 'main.js')}" >/dev/null`, { ...env, OSBUILD_ARGUMENTS_FILE: args, OSBUILD_META_FILE: meta });
  };
}

const image = join(work, 'bound.raw');
const cases = {
  bound: () =>
    sh(
      `rm -f "${image}"; truncate -s ${SIZE} "${image}"; printf 'label: dos\\nlabel-id: 0x14fc63d2\\nstart=2048, type=83, bootable\\n' | sfdisk -q "${image}";` +
        ` mkfs.ext4 -q -F -E offset=1048576 -U ${ROOT_UUID} -d "${tree}" "${image}" ${(SIZE - 1048576) / 1024}k`,
    ),
  // The bound with the assembler's mke2fs options (no discard, storage known to be zero): its own overhead alone.
  'bound, same -E': () =>
    sh(
      `rm -f "${image}"; truncate -s ${SIZE} "${image}"; printf 'label: dos\nlabel-id: 0x14fc63d2\nstart=2048, type=83, bootable\n' | sfdisk -q "${image}";` +
        ` mkfs.ext4 -q -F -E offset=1048576,nodiscard,assume_storage_prezeroed=1 -U ${ROOT_UUID} -d "${tree}" "${image}" ${(SIZE - 1048576) / 1024}k`,
    ),
  qemu: assembler('qemu', { format: 'raw', filename: 'disk.raw', size: SIZE, ptuuid: '0x14fc63d2', root_fs_uuid: ROOT_UUID }),
  'qemu+epoch': assembler('qemu-epoch', { format: 'raw', filename: 'disk.raw', size: SIZE, ptuuid: '0x14fc63d2', root_fs_uuid: ROOT_UUID }, { SOURCE_DATE_EPOCH: '1700000000' }),
  'qemu gpt': assembler(
    'qemu-gpt',
    {
      format: 'raw',
      filename: 'disk.raw',
      size: SIZE,
      ptuuid: 'D209C89E-EA5E-4FBD-B161-B461CCE297E0',
      pttype: 'gpt',
      bootloader: { type: 'grub2' },
      partitions: [
        { start: 2048, size: 2048, type: '21686148-6449-6E6F-744E-656564454649' },
        { start: 4096, size: 204800, type: 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B', filesystem: { type: 'vfat', uuid: '7B77-95E7', mountpoint: '/boot/efi' } },
        { start: 208896, type: '0FC63DAF-8483-4772-8E79-3D69D8477DE4', filesystem: { type: 'ext4', uuid: ROOT_UUID, mountpoint: '/' } },
      ],
    },
    { SOURCE_DATE_EPOCH: '1700000000' },
  ),
};

const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (const run of Object.values(cases)) run(); // warm-up: page cache, first-run costs
for (let i = 0; i < RUNS; i++) {
  for (const [name, run] of Object.entries(cases)) {
    const start = process.hrtime.bigint();
    run();
    times[name].push(Number(process.hrtime.bigint() - start) / 1e9);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const bound = median(times.bound);
const result = Object.fromEntries(Object.entries(times).map(([k, xs]) => [k, { median: median(xs), ratio: median(xs) / bound, runs: xs }]));
if (values.json) console.log(JSON.stringify({ treeMB: Number(du), size: SIZE, result }, null, 2));
else {
  console.log(`tree: ${du} MB; image ${SIZE / 1024 ** 3} GiB; ${RUNS} runs each, medians`);
  for (const [name, r] of Object.entries(result)) {
    console.log(`${name.padEnd(14)} ${r.median.toFixed(2)} s  ${r.ratio.toFixed(2)}× bound${name === 'qemu' ? ' (goal ≤ 1.3×)' : ''}`);
  }
}

#!/usr/bin/env node
// What org.osbuild.selinux and org.osbuild.dracut add to the tool they run.
//
//   selinux: the stage (Node, setfiles, setfattr for one label) on a Debian
//            bookworm tree with Debian's file_contexts, against a bare
//            `setfiles -F -r TREE FILE_CONTEXTS TREE/` on the same tree;
//   dracut:  the stage in the build sandbox (bubblewrap, a private mount
//            namespace, /proc, /dev, /sys, chroot) on a Debian tree with a
//            kernel, against a bare `chroot TREE dracut …` with the same
//            arguments (and the same mounts, made by the shell).
//
// Both print medians and the ratio stage / bare, measured in the same run.
// Needs root, mmdebstrap (trees are cached), setfiles, selinux-policy-default,
// bubblewrap, and the packages built (pnpm run build).
//
// Options: --rounds R (3; plus a warm-up round) --json

import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { measure, median, ms } from './lib/measure.mjs';

const here = import.meta.dirname;
const pkg = (name) => path.join(here, '..', 'packages', name);
const { makeDebianTree, runStageLocally } = await import(path.join(pkg('plugin-kit'), 'dist/testing.js'));
const { runInSandbox } = await import(path.join(pkg('sandbox'), 'dist/index.js'));
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, json: { type: 'boolean', default: false } } });
const ROUNDS = Number(values.rounds);

const sh = (command, args) => {
  const r = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${r.stderr.toString().slice(-4000)}`);
};
const timed = async (fn) => {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
};

const work = mkdtempSync('/var/tmp/bench-tree-stages-');
const results = {};
try {
  // selinux
  const seTree = path.join(work, 'se');
  await makeDebianTree(seTree, { include: ['login', 'passwd', 'systemd'] });
  const policy = 'etc/selinux/default/contexts/files/file_contexts';
  mkdirSync(path.dirname(path.join(seTree, policy)), { recursive: true });
  cpSync(`/${policy}`, path.join(seTree, policy));
  const seRuns = await measure(
    {
      bare: () => timed(() => sh('setfiles', ['-F', '-r', seTree, path.join(seTree, policy), `${seTree}/`])),
      stage: () =>
        timed(async () => {
          const r = await runStageLocally({
            entry: path.join(pkg('stage-selinux'), 'dist/main.js'),
            tree: seTree,
            options: { file_contexts: policy, labels: { '/usr/bin/cp': 'system_u:object_r:install_exec_t:s0' } },
          });
          if (r.exitCode !== 0) throw new Error(r.output);
        }),
    },
    ROUNDS,
    { rotate: true },
  );
  results.selinux = { bare: median(seRuns.bare), stage: median(seRuns.stage) };

  // dracut
  const dTree = path.join(work, 'dracut');
  await makeDebianTree(dTree, { include: ['linux-image-amd64', 'dracut'] });
  const [kver] = readdirSync(path.join(dTree, 'usr/lib/modules'));
  const options = { kernel: [kver], compress: 'gzip', modules: ['base', 'kernel-modules'], drivers: ['virtio_blk'], filesystems: ['ext4'], reproducible: true };
  const bareArgs = ['--no-hostonly', '--kver', kver, '--force', '-v', '--show-modules', '--no-early-microcode', '--reproducible', '--compress=gzip', '--modules', 'base kernel-modules', '--drivers', 'virtio_blk', '--filesystems', 'ext4'];
  const bareScript = 't=$1; shift; mount -t proc proc "$t/proc" && mount --bind /dev "$t/dev" && mount -t sysfs sysfs "$t/sys" && exec chroot "$t" /usr/bin/dracut "$@"';
  const dRuns = await measure(
    {
      bare: () => timed(() => sh('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', bareScript, 'sh', dTree, ...bareArgs])),
      stage: () =>
        timed(async () => {
          const r = await runInSandbox({
            entry: path.join(pkg('stage-dracut'), 'dist/main.js'),
            packageDir: pkg('stage-dracut'),
            root: null,
            tree: dTree,
            tempDir: work,
            arguments: { tree: '/run/osbuild/tree', paths: { devices: '/dev', inputs: '/run/osbuild/inputs', mounts: '/run/osbuild/mounts' }, devices: {}, inputs: {}, mounts: {}, options, meta: { id: '0'.repeat(64) } },
          });
          if (r.exitCode !== 0) throw new Error(r.outputTail.join('\n'));
        }),
    },
    ROUNDS,
    { rotate: true },
  );
  results.dracut = { bare: median(dRuns.bare), stage: median(dRuns.stage) };
} finally {
  rmSync(work, { recursive: true, force: true });
}

if (values.json) console.log(JSON.stringify(results));
else {
  for (const [name, r] of Object.entries(results)) {
    console.log(`${name.padEnd(8)} bare ${ms(r.bare).padStart(9)}   stage ${ms(r.stage).padStart(9)}   stage/bare ${(r.stage / r.bare).toFixed(2)}`);
  }
}

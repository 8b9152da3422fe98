#!/usr/bin/env node
// Rootless builds (issue 20): samples/debian-minimal (no-mount route, qcow2)
// built from scratch as root and as an unprivileged user, in one run. The
// user is made here (a free range of subordinate ids, a directory it owns)
// and removed afterwards; as it, `osbuild` re-executes itself in a user
// namespace (overlays with userxattr, bwrap and mmdebstrap as root of that
// namespace). Each build gets a new, empty store holding only the .debs
// (copied in untimed), so every stage runs. Rounds alternate which goes
// first (ABBA); medians and the ratio rootless / root are printed.
// Goal: ratio ≤ 1.15.
// Needs root, uidmap (newuidmap), the Debian mirror in the host's apt
// configuration (pinning) and the packages built (`pnpm build`).
//
// Options: --runs N (1) --json
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { median } from './lib/measure.mjs';

const root = join(import.meta.dirname, '..');
const sample = join(root, 'samples', 'debian-minimal');
const osbuildBin = join(root, 'node_modules', '.bin', 'osbuild');
const pinBin = join(root, 'node_modules', '.bin', 'osbuild-debian-pin');
const DEB_CACHE = '/var/cache/osbuild-ts/test-debs';
const { values } = parseArgs({ options: { runs: { type: 'string', default: '1' }, json: { type: 'boolean', default: false } } });
const RUNS = Number(values.runs);

if (process.getuid() !== 0) throw new Error('rootless.bench.mjs runs as root: it makes the unprivileged user it compares with');
if (!existsSync('/usr/bin/newuidmap')) throw new Error('needs newuidmap/newgidmap: apt-get install uidmap');

const work = mkdtempSync('/var/tmp/osbuild-ts-bench-rootless-');
const name = `osbtb${process.pid}`;
function cleanup() {
  rmSync(work, { recursive: true, force: true });
  spawnSync('userdel', [name], { stdio: 'ignore' });
}
process.on('exit', cleanup);

// The user: a free range of 65536 subordinate ids above every one handed out.
let end = 300_000;
for (const file of ['/etc/subuid', '/etc/subgid']) {
  for (const line of (existsSync(file) ? readFileSync(file, 'utf8') : '').split('\n')) {
    const [, start, count] = line.split(':');
    if (count !== undefined) end = Math.max(end, Number(start) + Number(count));
  }
}
const start = Math.ceil(end / 65536) * 65536;
execFileSync('useradd', ['--no-create-home', '--home-dir', work, '--shell', '/bin/sh', '--user-group', name]);
execFileSync('usermod', ['--del-subuids', '1-4294967294', '--del-subgids', '1-4294967294', name]);
execFileSync('usermod', ['--add-subuids', `${start}-${start + 65535}`, '--add-subgids', `${start}-${start + 65535}`, name]);
const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }));
const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }));
chownSync(work, uid, gid);

function run(command, args, asUser) {
  const argv = asUser
    ? ['setpriv', [`--reuid=${uid}`, `--regid=${gid}`, '--init-groups', '--reset-env', '--', 'env', `HOME=${work}`, `PATH=${process.env.PATH}`, command, ...args]]
    : [command, args];
  const r = spawnSync(argv[0], argv[1], { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${asUser ? `as ${name}: ` : ''}${command} ${args.join(' ')} failed:\n${(r.stdout + r.stderr).slice(-4000)}`);
  return r;
}

const manifest = join(work, 'manifest.json');
run(pinBin, ['-q', '--fetch', DEB_CACHE, '--template', join(sample, 'manifest.in.json'), '--output', manifest, `debian=${join(sample, 'debian.json')}`]);
chownSync(manifest, uid, gid);

let n = 0;
function build(asUser) {
  const dir = join(work, `${asUser ? 'user' : 'root'}-${n++}`);
  const files = join(dir, 'store', 'sources', 'org.osbuild.files');
  mkdirSync(files, { recursive: true });
  // Copies, untimed: the user's store must not share root's files.
  execFileSync('sh', ['-c', 'cp --reflink=auto "$1"/sha256:* "$2"/', 'sh', DEB_CACHE, files]);
  if (asUser) execFileSync('chown', ['-R', `${uid}:${gid}`, dir]);
  const started = process.hrtime.bigint();
  run(osbuildBin, ['-q', '--store', join(dir, 'store'), '--export', 'image', '--output-directory', join(dir, 'out'), manifest], asUser);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  rmSync(dir, { recursive: true, force: true });
  return seconds;
}

const times = { root: [], rootless: [] };
for (let round = 0; round < RUNS; round++) {
  const order = round % 2 === 0 ? [false, true] : [true, false];
  for (const asUser of order) times[asUser ? 'rootless' : 'root'].push(build(asUser));
}
const result = { root: median(times.root), rootless: median(times.rootless) };
result.ratio = result.rootless / result.root;
if (values.json) console.log(JSON.stringify({ runs: RUNS, times, ...result }));
else {
  console.log(`samples/debian-minimal from scratch (no-mount route), median of ${RUNS}:`);
  console.log(`  as root      ${result.root.toFixed(1)} s`);
  console.log(`  rootless     ${result.rootless.toFixed(1)} s`);
  console.log(`  ratio        ${result.ratio.toFixed(2)}× (goal ≤ 1.15×)`);
}

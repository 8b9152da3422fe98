#!/usr/bin/env node
// Builds the same manifests with upstream osbuild and with ours and
// compares what each output format holds: the trees that the tar, cpio,
// erofs, OCI and raw file system outputs unpack (or mount read-only) to,
// member names, the OCI image config, and the decompressed xz/zstd/gunzip
// files. Anyone can run it against an upstream checkout, as root:
//
//   node bench/compare-upstream-outputs.mjs --upstream /path/to/osbuild [--keep] [--json]
//
// Upstream runs as `python3 -m osbuild --libdir UPSTREAM …` from its
// checkout (it needs python3-jsonschema, bubblewrap, /etc/containers and
// the tools of its stages on the host); ours as `osbuild --libdir REPO …`
// from this repository (`pnpm build` first). Both get fresh stores. The
// input tree is plugin-kit's richTree (owners, setuid, sticky, devices,
// FIFO, hard link, symlinks), carried inline and unpacked by
// org.osbuild.untar. Exit status 1 when any output differs.

import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const repo = join(import.meta.dirname, '..');
const { values } = parseArgs({ options: { upstream: { type: 'string' }, keep: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } } });
if (!values.upstream) {
  console.error('usage: node bench/compare-upstream-outputs.mjs --upstream DIR (an osbuild checkout) [--keep] [--json]');
  process.exit(2);
}
const upstream = values.upstream;
const kit = await import(join(repo, 'packages', 'plugin-kit', 'dist', 'testing.js')).catch((error) => {
  console.error('compare-upstream-outputs: build the packages first: pnpm build');
  throw error;
});
const { richTree, treeListing, treePipeline, treeInput, pipelineFileInput } = kit;

const EPOCH = 1_700_000_000;
const UUID = '9c6ae55b-cf88-45b8-84e8-64990759f39d';
const work = mkdtempSync('/var/tmp/osbuild-compare-');
if (!values.keep) process.on('exit', () => rmSync(work, { recursive: true, force: true }));
mkdirSync('/etc/containers', { recursive: true });

const tree = join(work, 'tree');
mkdirSync(tree);
richTree(tree);
const { sources, pipeline } = treePipeline(tree, 'os', EPOCH);
const pipe = (name, stages) => ({ name, 'source-epoch': EPOCH, stages });

const v2 = {
  version: '2',
  sources,
  pipelines: [
    pipeline,
    pipe('tar', [
      { type: 'org.osbuild.tar', inputs: { tree: treeInput('os') }, options: { filename: 'root.tar' } },
      { type: 'org.osbuild.tar', inputs: { tree: treeInput('os') }, options: { filename: 'omit.tar.gz', format: 'posix', 'root-node': 'omit' } },
    ]),
    pipe('cpio', [{ type: 'org.osbuild.cpio.out', inputs: { tree: treeInput('os') }, options: { filename: 'root.cpio' } }]),
    pipe('erofs', [{ type: 'org.osbuild.erofs', inputs: { tree: treeInput('os') }, options: { filename: 'root.erofs' } }]),
    pipe('oci', [
      {
        type: 'org.osbuild.oci-archive',
        inputs: { base: treeInput('os') },
        options: { filename: 'container.tar', architecture: 'amd64', config: { Cmd: ['/srv/tool'], Env: ['A=1'], User: '1234', Labels: { a: 'b' }, ExposedPorts: ['80/tcp'] }, annotations: { 'org.example': 'x' } },
      },
    ]),
    pipe('compressed', [
      { type: 'org.osbuild.xz', inputs: { file: pipelineFileInput('tar', '/root.tar') }, options: { filename: 'root.tar.xz' } },
      { type: 'org.osbuild.zstd', inputs: { file: pipelineFileInput('tar', '/root.tar') }, options: { filename: 'root.tar.zst' } },
      { type: 'org.osbuild.gunzip', inputs: { file: pipelineFileInput('tar', '/omit.tar.gz') }, options: { path: 'omit.tar' } },
    ]),
  ],
};
// v1 has no inputs to carry a tree in: a stage both implement makes one
// (systemd-firstboot writes /etc/locale.conf), and the assembler gets it.
const v1 = (assembler) => ({ pipeline: { stages: [{ name: 'org.osbuild.locale', options: { language: 'en_US.UTF-8' } }], assembler } });
const manifests = {
  v2: { manifest: v2, exports: ['tar', 'cpio', 'erofs', 'oci', 'compressed'] },
  'v1-tar': { manifest: v1({ name: 'org.osbuild.tar', options: { filename: 'root.tar.gz', compression: 'gzip' } }), exports: ['assembler'] },
  'v1-rawfs': { manifest: v1({ name: 'org.osbuild.rawfs', options: { filename: 'root.img', root_fs_uuid: UUID, size: 64 * 1024 * 1024 } }), exports: ['assembler'] },
};

function build(who, name, { manifest, exports }) {
  const dir = join(work, who, name);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'manifest.json');
  writeFileSync(file, JSON.stringify(manifest, null, 2));
  const out = join(dir, 'out');
  const common = ['--store', join(dir, 'store'), '--output-directory', out, ...exports.flatMap((e) => ['--export', e]), file];
  const [cmd, args, cwd] =
    who === 'upstream'
      ? ['python3', ['-m', 'osbuild', '--libdir', '.', ...common], upstream]
      : [process.execPath, [join(repo, 'packages', 'cli', 'bin', 'osbuild.js'), '--libdir', repo, ...common], repo];
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  const log = `${r.stdout}\n${r.stderr}`;
  writeFileSync(join(dir, 'log.txt'), log);
  if (r.status !== 0) return { ok: false, out, error: `${who} ${name}: exit ${r.status}\n${log.split('\n').slice(-25).join('\n')}` };
  return { ok: true, out, seconds: (Date.now() - started) / 1000 };
}

const listingOptions = { mtime: true };
function listTree(dir, options = listingOptions) {
  return treeListing(dir, options);
}
function scratch(prefix) {
  return mkdtempSync(join(work, `${prefix}-`));
}
function extractTar(file, flags = []) {
  const dir = scratch('x');
  execFileSync('tar', ['--numeric-owner', '--xattrs', '--xattrs-include=*', '-xpf', file, '-C', dir, ...flags]);
  return dir;
}
function tarNames(file) {
  return execFileSync('tar', ['-tf', file], { encoding: 'utf8', maxBuffer: 1 << 28 }).trimEnd().split('\n').sort();
}
function withMount(image, type, fn) {
  const dir = scratch('mnt');
  execFileSync('mount', ['-t', type, '-o', 'loop,ro', image, dir]);
  try {
    return fn(dir);
  } finally {
    execFileSync('umount', [dir]);
  }
}
const sha = (buf) => createHash('sha256').update(buf).digest('hex');

/** What each output holds, as comparable data: {aspect: value}. */
const VIEWS = {
  'v2:tar/root.tar (members)': (o) => tarNames(join(o, 'tar/root.tar')),
  'v2:tar/root.tar (unpacked)': (o) => listTree(extractTar(join(o, 'tar/root.tar'))),
  'v2:tar/omit.tar.gz (members)': (o) => tarNames(join(o, 'tar/omit.tar.gz')),
  'v2:cpio/root.cpio (members)': (o) => execFileSync('cpio', ['-t', '--quiet', '-F', join(o, 'cpio/root.cpio')], { encoding: 'utf8' }).trimEnd().split('\n').sort(),
  'v2:cpio/root.cpio (unpacked)': (o) => {
    const dir = scratch('cpio');
    execFileSync('cpio', ['-idm', '--quiet', '--no-absolute-filenames', '-F', join(o, 'cpio/root.cpio')], { cwd: dir });
    return listTree(dir, { mtime: false }).filter((l) => !l.startsWith('. '));
  },
  'v2:erofs/root.erofs (mounted)': (o) => withMount(join(o, 'erofs/root.erofs'), 'erofs', (dir) => listTree(dir)),
  'v2:oci/container.tar (layout members)': (o) => tarNames(join(o, 'oci/container.tar')).map((n) => n.replace(/[0-9a-f]{64}/, '<digest>')),
  'v2:oci/container.tar (config)': (o) => {
    const { config } = ociParts(join(o, 'oci/container.tar'));
    return { ...config, rootfs: { ...config.rootfs, diff_ids: config.rootfs.diff_ids.length } };
  },
  'v2:oci/container.tar (layer unpacked)': (o) => {
    const { layers } = ociParts(join(o, 'oci/container.tar'));
    return listTree(extractTar(layers[0]), { mtime: true }).filter((l) => !l.startsWith('. '));
  },
  'v2:compressed/root.tar.xz (decompressed)': (o) => sha(execFileSync('xz', ['-dc', join(o, 'compressed/root.tar.xz')], { maxBuffer: 1 << 28 })) === sha(readFileSync(join(o, 'tar/root.tar'))),
  'v2:compressed/root.tar.zst (decompressed)': (o) => sha(execFileSync('zstd', ['-dc', join(o, 'compressed/root.tar.zst')], { maxBuffer: 1 << 28 })) === sha(readFileSync(join(o, 'tar/root.tar'))),
  'v2:compressed/omit.tar (gunzip)': (o) => sha(readFileSync(join(o, 'compressed/omit.tar'))) === sha(execFileSync('gzip', ['-dc', join(o, 'tar/omit.tar.gz')], { maxBuffer: 1 << 28 })),
  'v1-tar:assembler/root.tar.gz (unpacked)': (o) => listTree(extractTar(join(o, 'assembler/root.tar.gz')), { mtime: false }),
  'v1-rawfs:assembler/root.img (blkid)': (o) => execFileSync('blkid', ['-p', '-s', 'UUID', '-s', 'TYPE', '-o', 'export', join(o, 'assembler/root.img')], { encoding: 'utf8' }).split('\n').filter((l) => /^(UUID|TYPE)=/.test(l)),
  'v1-rawfs:assembler/root.img (e2fsck -fn)': (o) => spawnSync('e2fsck', ['-fn', join(o, 'assembler/root.img')]).status,
  'v1-rawfs:assembler/root.img (mounted)': (o) => withMount(join(o, 'assembler/root.img'), 'ext4', (dir) => listTree(dir, { mtime: false })),
};

function ociParts(archive) {
  const dir = extractTar(archive);
  const blob = (d) => join(dir, 'blobs', 'sha256', d.replace('sha256:', ''));
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
  const manifest = JSON.parse(readFileSync(blob(index.manifests[0].digest), 'utf8'));
  const config = JSON.parse(readFileSync(blob(manifest.config.digest), 'utf8'));
  return { config, manifest, layers: manifest.layers.map((l) => blob(l.digest)) };
}

/** Byte-identical outputs, reported besides the views. */
function digests(out) {
  const result = {};
  const walk = (rel) => {
    for (const e of readdirSync(join(out, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path);
      else if (e.isFile()) result[path] = sha(readFileSync(join(out, path)));
    }
  };
  if (existsSync(out)) walk('');
  return result;
}

const report = { upstream, results: [], builds: {} };
for (const [name, spec] of Object.entries(manifests)) {
  const ours = build('ours', name, spec);
  const theirs = build('upstream', name, spec);
  report.builds[name] = { ours: ours.ok ? `${ours.seconds} s` : ours.error, upstream: theirs.ok ? `${theirs.seconds} s` : theirs.error };
  const bytesOurs = ours.ok ? digests(ours.out) : {};
  const bytesTheirs = theirs.ok ? digests(theirs.out) : {};
  for (const [view, fn] of Object.entries(VIEWS)) {
    if (!view.startsWith(`${name}:`)) continue;
    const entry = { view };
    if (!ours.ok || !theirs.ok) {
      entry.status = 'not built';
      entry.detail = [ours.ok ? null : ours.error, theirs.ok ? null : theirs.error].filter(Boolean).join('\n');
      report.results.push(entry);
      continue;
    }
    const file = view.slice(name.length + 1).split(' ')[0];
    entry.sameBytes = bytesOurs[file] !== undefined && bytesOurs[file] === bytesTheirs[file];
    try {
      const a = JSON.stringify(fn(ours.out), null, 1);
      const b = JSON.stringify(fn(theirs.out), null, 1);
      entry.status = a === b ? 'same' : 'different';
      if (a !== b) {
        const la = a.split('\n');
        const lb = b.split('\n');
        entry.detail = [...la.filter((l) => !lb.includes(l)).map((l) => `ours:     ${l.trim()}`), ...lb.filter((l) => !la.includes(l)).map((l) => `upstream: ${l.trim()}`)].slice(0, 12).join('\n');
      }
    } catch (error) {
      entry.status = 'error';
      entry.detail = String(error.message).split('\n').slice(0, 6).join('\n');
    }
    report.results.push(entry);
  }
}

if (values.json) console.log(JSON.stringify(report, null, 2));
else {
  for (const [name, b] of Object.entries(report.builds)) console.log(`build ${name}: ours ${b.ours.split('\n')[0]}; upstream ${b.upstream.split('\n')[0]}`);
  for (const r of report.results) {
    console.log(`${r.status.padEnd(9)} ${r.sameBytes ? 'bytes=  ' : 'bytes≠  '} ${r.view}`);
    if (r.detail) console.log(r.detail.replace(/^/gm, '            '));
  }
  if (values.keep) console.log(`kept: ${work}`);
}
process.exitCode = report.results.every((r) => r.status === 'same') ? 0 : 1;

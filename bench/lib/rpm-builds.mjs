// What bench/rpm.bench.mjs and bench/compare-upstream-rpm.mjs share: the
// fixture RPMs of packages/stage-rpm (built with rpmbuild, cached), a v2
// manifest installing them with org.osbuild.rpm, a store whose source cache
// already holds them, builds with our osbuild or upstream's, and a
// comparable listing of a tree.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '..', '..');
const { buildRpms, busyboxStatic } = await import(join(root, 'packages', 'plugin-kit', 'dist', 'testing.js')).catch((error) => {
  console.error('build the packages first: pnpm build');
  throw error;
});

/** The fixture RPMs of packages/stage-rpm/test/fixtures/rpms: [{name, file, source, checksum}]. */
export function fixtureRpms() {
  return buildRpms({ specDir: join(root, 'packages', 'stage-rpm', 'test', 'fixtures', 'rpms'), sources: { busybox: busyboxStatic() } });
}

/** A v2 manifest: pipeline `tree`, one org.osbuild.rpm stage with `rpms` (each `{checksum, source}`) and `options`. */
export function rpmManifest(rpms, options = {}) {
  const items = Object.fromEntries(rpms.map((r) => [r.checksum, `file://${r.source}`]));
  return {
    version: '2',
    pipelines: [
      {
        name: 'tree',
        stages: [{ type: 'org.osbuild.rpm', options, inputs: { packages: { type: 'org.osbuild.files', origin: 'org.osbuild.source', references: Object.keys(items) } } }],
      },
    ],
    sources: { 'org.osbuild.curl': { items } },
  };
}

/** Puts the RPMs into a store's source cache (hard links), as a fetch would have. */
export function seedStore(store, rpms) {
  const cache = join(store, 'sources', 'org.osbuild.files');
  mkdirSync(cache, { recursive: true });
  for (const r of rpms) {
    if (existsSync(join(cache, r.checksum))) continue;
    try {
      linkSync(r.source, join(cache, r.checksum));
    } catch {
      copyFileSync(r.source, join(cache, r.checksum)); // another file system
    }
  }
}

function build(command, args, cwd) {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  let result;
  try {
    result = JSON.parse(r.stdout);
  } catch {
    result = undefined;
  }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, result };
}

/** Our osbuild (the CLI at the repository root, with its plugins) on `manifestFile`, exporting `tree`. */
export function buildOurs({ manifestFile, store, out }) {
  return build(process.execPath, [join(root, 'packages', 'cli', 'bin', 'osbuild.js'), '--libdir', root, '--store', store, '--output-directory', out, '--export', 'tree', '--json', manifestFile], root);
}

/** Upstream osbuild from a checkout (`python3 -m osbuild --libdir DIR`), as root. */
export function buildUpstream({ upstream, manifestFile, store, out }) {
  return build('python3', ['-m', 'osbuild', '--libdir', upstream, '--store', store, '--output-directory', out, '--export', 'tree', '--json', manifestFile], upstream);
}

// rpm's database files hold install times and page layouts: compared by
// their presence, type and mode, not their bytes.
const VOLATILE = /^\/var\/lib\/rpm\/|^\/usr\/lib\/sysimage\/rpm\//;

/**
 * Every path of a tree (root `/` included) → "type mode uid gid size
 * [sha256|link target]", what a tree comparison looks at.
 */
export function listTree(tree) {
  const entries = new Map();
  const walk = (rel) => {
    const full = join(tree, rel);
    const st = lstatSync(full);
    const mode = (st.mode & 0o7777).toString(8).padStart(4, '0');
    let what;
    if (st.isSymbolicLink()) what = `link ${mode} ${st.uid}:${st.gid} -> ${readlinkSync(full)}`;
    else if (st.isDirectory()) what = `dir ${mode} ${st.uid}:${st.gid}`;
    else if (st.isFile()) {
      const content = VOLATILE.test(rel) ? '(rpm database)' : createHash('sha256').update(readFileSync(full)).digest('hex');
      what = `file ${mode} ${st.uid}:${st.gid} ${VOLATILE.test(rel) ? '' : st.size} ${content}`;
    } else what = `special ${mode} ${st.uid}:${st.gid} ${st.rdev}`;
    entries.set(rel || '/', what);
    if (st.isDirectory()) for (const name of readdirSync(full).sort()) walk(`${rel}/${name}`);
  };
  walk('');
  return entries;
}

/** `rpm -qa` of a tree, sorted NEVRAs. */
export function rpmQa(tree, dbpath) {
  const r = spawnSync('rpm', ['--root', tree, ...(dbpath ? ['--dbpath', dbpath] : []), '-qa', '--qf', '%{NAME}-%{EVR}.%{ARCH}\\n'], { encoding: 'utf8' });
  return r.stdout.trim().split('\n').filter(Boolean).sort();
}

export function writeJson(file, value) {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

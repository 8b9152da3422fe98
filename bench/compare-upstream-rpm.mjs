#!/usr/bin/env node
// Builds the same org.osbuild.rpm manifests with upstream osbuild (a
// checkout, run as `python3 -m osbuild --libdir DIR`) and with ours, and
// compares what they give: every path of the exported tree with its type,
// mode, owner, size and content (rpm's database files by presence and mode
// only: they hold install times), `rpm -qa` of the tree, and the stage's
// metadata in the --json result. Prints each difference; exit status 0 when
// there is none, 1 otherwise.
//
//   node bench/compare-upstream-rpm.mjs --upstream /path/to/osbuild [--keep]
//
// Needs root, rpmbuild, bubblewrap, upstream's Python requirements
// (python3-jsonschema; `/etc/containers` existing) and `pnpm build`.
// The manifests: the stage's fixture RPMs (a merged-/usr filesystem, a
// static busybox as /bin/sh, a library with a %config file, docs, two
// languages and a Lua %post, an application with a shell %post) installed
// with the default options, and again with exclude.docs, install_langs,
// generic_env, disable_dracut and ostree_booted.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildOurs, buildUpstream, fixtureRpms, listTree, rpmManifest, rpmQa, seedStore, writeJson } from './lib/rpm-builds.mjs';

const { values } = parseArgs({ options: { upstream: { type: 'string' }, keep: { type: 'boolean', default: false } } });
if (!values.upstream) {
  console.error('usage: node bench/compare-upstream-rpm.mjs --upstream DIR (a checkout of osbuild) [--keep]');
  process.exit(2);
}

const rpms = fixtureRpms();
const cases = {
  default: { dbpath: '/var/lib/rpm' },
  options: {
    dbpath: '/var/lib/rpm',
    exclude: { docs: true },
    install_langs: ['de'],
    generic_env: { OSBT_GREETING: 'hello' },
    disable_dracut: true,
    ostree_booted: true,
  },
};

const work = mkdtempSync(join(tmpdir(), 'compare-upstream-rpm-'));
let differences = 0;
const report = (what) => {
  differences++;
  console.log(`  DIFFERENT ${what}`);
};
try {
  for (const [name, options] of Object.entries(cases)) {
    console.log(`${name}: ${JSON.stringify(options)}`);
    const dir = join(work, name);
    mkdirSync(dir);
    const manifestFile = join(dir, 'manifest.json');
    writeJson(manifestFile, rpmManifest(rpms, options));
    const runs = {};
    for (const [who, build] of Object.entries({ upstream: buildUpstream, ours: buildOurs })) {
      const store = join(dir, `store-${who}`);
      seedStore(store, rpms);
      const out = join(dir, `out-${who}`);
      const t0 = performance.now();
      const r = build({ upstream: values.upstream, manifestFile, store, out });
      const seconds = ((performance.now() - t0) / 1000).toFixed(1);
      if (r.status !== 0 || !r.result?.success) {
        console.log(`  ${who}: FAILED (exit ${r.status})\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
        differences++;
        continue;
      }
      runs[who] = { tree: join(out, 'tree'), result: r.result };
      console.log(`  ${who}: built in ${seconds} s`);
    }
    if (!runs.upstream || !runs.ours) continue;

    const [a, b] = [listTree(runs.upstream.tree), listTree(runs.ours.tree)];
    for (const path of new Set([...a.keys(), ...b.keys()])) {
      if (a.get(path) !== b.get(path)) report(`${path}\n      upstream: ${a.get(path) ?? '(absent)'}\n      ours:     ${b.get(path) ?? '(absent)'}`);
    }
    console.log(`  tree: ${a.size} paths upstream, ${b.size} ours`);
    const [qa, qb] = [rpmQa(runs.upstream.tree, options.dbpath), rpmQa(runs.ours.tree, options.dbpath)];
    if (JSON.stringify(qa) !== JSON.stringify(qb)) report(`rpm -qa\n      upstream: ${qa.join(' ')}\n      ours:     ${qb.join(' ')}`);
    else console.log(`  rpm -qa: ${qa.join(' ')}`);
    const meta = (run) => JSON.stringify(run.result.metadata?.tree?.['org.osbuild.rpm']);
    if (meta(runs.upstream) !== meta(runs.ours)) report(`metadata\n      upstream: ${meta(runs.upstream)}\n      ours:     ${meta(runs.ours)}`);
    else console.log(`  metadata: identical (${JSON.parse(meta(runs.ours)).packages.length} packages)`);
  }
} finally {
  if (values.keep) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
console.log(differences === 0 ? 'no differences' : `${differences} difference(s)`);
process.exitCode = differences === 0 ? 0 : 1;

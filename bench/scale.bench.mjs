#!/usr/bin/env node
// Scale (issue 19): how cost grows with the work, beside `node -e 0`
// measured in the same rounds.
//
//   stages   mkdir ×N (N = 1, 10, 40, 160): cold (fresh store) and warm
//            (--export, everything cached); slope per stage (least squares)
//   trees    a tree of F files (F = 1k, 50k; 500k with --files) made by an
//            untar of a tar.gz (a file:// curl source), cached; then
//              commit  one more stage on top of it (a new path each round,
//                      so only that stage runs), exported, less the warm
//                      export of the same shape (one stage on the tree,
//                      built before): should not grow with F; the osbuild
//                      process's own CPU is the figure that leaves out
//                      the copy
//              export  warm --export of the tree vs `cp -a` of the same tree
//                      from a plain directory (goal ≤ 1.1×; --no-copy
//                      leaves both out, for large F)
//   sources  S inline sources (S = 1, 100, 2000), one stage: cold and warm;
//            slope per source
//
// Every command runs once per round, the order turning each round (round 0
// is a warm-up, not counted); medians are printed with the load average,
// the CPU time of the command's process tree (GNU time; the fairer figure on
// a loaded machine) and the osbuild process's own peak RSS (goal ≤ 64 MB at
// every size). Needs root and the packages built (`pnpm build`).
//
// Options: --runs N (3) --stages 1,10,40,160 --files 1000,50000 --sources 1,100,2000
//          --only stages|trees|sources --no-copy --no-warmup --json
// (--no-warmup counts round 0 too: for a single round of the 500k tree)
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { median } from './lib/measure.mjs';
import { loadAverage, nodeArgs, runMeasured } from './lib/process-figures.mjs';

const root = join(import.meta.dirname, '..');
const cli = join(root, 'packages', 'cli', 'bin', 'osbuild.js');
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    stages: { type: 'string', default: '1,10,40,160' },
    files: { type: 'string', default: '1000,50000' },
    sources: { type: 'string', default: '1,100,2000' },
    only: { type: 'string' },
    json: { type: 'boolean', default: false },
    'no-copy': { type: 'boolean', default: false },
    'no-warmup': { type: 'boolean', default: false },
  },
});
const RUNS = Number(values.runs);
const list = (s) => s.split(',').map(Number);
const work = mkdtempSync('/var/tmp/osbuild-ts-bench-scale-');
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

const osbuild = (...args) => [...nodeArgs(cli), '--libdir', root, '--quiet', ...args];
const writeManifest = (name, doc) => {
  const file = join(work, `${name}.json`);
  writeFileSync(file, JSON.stringify(doc));
  return file;
};
const mkdirStages = (n, prefix = 'd') => Array.from({ length: n }, (_, i) => ({ type: 'org.osbuild.mkdir', options: { paths: [{ path: `/${prefix}${i}`, mode: 493 }] } }));
const run = (argv) => execFileSync(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'inherit'] });
const fmt = (s) => `${(s * 1000).toFixed(0)} ms`;
const results = { load: [], node: null, stages: [], trees: [], sources: [] };

/**
 * Runs every job once per round (rotating), after a warm-up round; a job is
 * {name, argv, prepare?} and prepare() runs untimed before each run.
 * Returns {name: {wall, cpu, selfCpu, selfRss (max)}} (medians).
 */
function rounds(jobs) {
  const runs = Object.fromEntries(jobs.map((j) => [j.name, []]));
  for (let round = 0; round <= RUNS; round++) {
    for (let k = 0; k < jobs.length; k++) {
      const job = jobs[(round + k) % jobs.length];
      job.prepare?.(round);
      const figures = runMeasured(typeof job.argv === 'function' ? job.argv(round) : job.argv);
      if (round > 0 || values['no-warmup']) runs[job.name].push(figures);
    }
  }
  results.load.push(loadAverage());
  return Object.fromEntries(Object.entries(runs).map(([name, xs]) => [name, {
    wall: median(xs.map((x) => x.wall)),
    cpu: median(xs.map((x) => x.cpu)),
    selfCpu: median(xs.map((x) => x.selfCpu)),
    selfRss: Math.max(...xs.map((x) => x.selfRss)),
  }]));
}

/** Least-squares slope of y over x. */
function slope(xs, ys) {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return num / den;
}

const nodeJob = { name: 'node -e 0', argv: [process.execPath, '-e', '0'] };
const line = (label, f, base) =>
  `${label.padEnd(34)} wall ${fmt(f.wall).padStart(8)} (${(f.wall / base.wall).toFixed(2)}× node)  cpu ${fmt(f.cpu).padStart(8)} (${(f.cpu / base.cpu).toFixed(2)}×)  rss ${f.selfRss.toFixed(0)} MB`;

// ---- stages
if (!values.only || values.only === 'stages') {
  const sizes = list(values.stages);
  const jobs = [nodeJob];
  for (const n of sizes) {
    const file = writeManifest(`stages-${n}`, { version: '2', pipelines: [{ name: 'tree', stages: mkdirStages(n) }] });
    const store = join(work, `store-stages-${n}`);
    const out = join(work, `out-stages-${n}`);
    jobs.push({ name: `cold ${n}`, prepare: () => rmSync(store, { recursive: true, force: true }), argv: osbuild('--store', store, '--export', 'tree', '--output-directory', out, file) });
    jobs.push({ name: `warm ${n}`, argv: osbuild('--store', store, '--export', 'tree', '--output-directory', out, file) });
  }
  // Warm runs need their store: build each once before the rounds.
  for (const job of jobs) if (job.name.startsWith('warm ')) run(job.argv);
  const t = rounds(jobs);
  const base = t['node -e 0'];
  results.node = base;
  console.log(`## stages (load ${results.load.at(-1)})`);
  console.log(line('node -e 0', base, base));
  for (const n of sizes) {
    console.log(line(`mkdir ×${n} cold`, t[`cold ${n}`], base));
    console.log(line(`mkdir ×${n} warm --export`, t[`warm ${n}`], base));
    results.stages.push({ stages: n, cold: t[`cold ${n}`], warm: t[`warm ${n}`] });
  }
  const cold = slope(sizes, sizes.map((n) => t[`cold ${n}`].wall));
  const coldCpu = slope(sizes, sizes.map((n) => t[`cold ${n}`].cpu));
  const warm = slope(sizes, sizes.map((n) => t[`warm ${n}`].wall));
  console.log(`per stage, cold: ${fmt(cold)} wall = ${(cold / base.wall).toFixed(2)}× node start (goal ≤ 0.5×); ${fmt(coldCpu)} cpu = ${(coldCpu / base.cpu).toFixed(2)}× node's cpu`);
  console.log(`per stage, warm: ${fmt(warm)} wall = ${(warm / base.wall).toFixed(3)}× node start`);
  Object.assign(results, { perStage: { cold, coldCpu, warm } });
}

// ---- trees
if (!values.only || values.only === 'trees') {
  const sizes = list(values.files);
  const jobs = [nodeJob];
  for (const f of sizes) {
    // f empty files, 1000 per directory (made by one `touch` per directory),
    // tarred, and given to the untar stage by a file:// curl source: the
    // manifest stays small at every size (an inline source of 500k files
    // would be megabytes of base64 that every run parses, and would count in
    // its RSS).
    const src = join(work, `tree-src-${f}`);
    for (let d = 0; d * 1000 < f; d++) {
      const dir = join(src, `d${d}`);
      mkdirSync(dir, { recursive: true });
      const names = Array.from({ length: Math.min(1000, f - d * 1000) }, (_, i) => `f${d * 1000 + i}`);
      execFileSync('touch', names, { cwd: dir });
    }
    const tgz = join(work, `tree-${f}.tgz`);
    execFileSync('tar', ['--sort=name', '--mtime=@1700000000', '--owner=0', '--group=0', '--numeric-owner', '-C', src, '-czf', tgz, '.']);
    rmSync(src, { recursive: true, force: true });
    const digest = `sha256:${createHash('sha256').update(readFileSync(tgz)).digest('hex')}`;
    const tree = { type: 'org.osbuild.untar', inputs: { file: { type: 'org.osbuild.files', origin: 'org.osbuild.source', references: { [digest]: {} } } } };
    const doc = (extra) => ({
      version: '2',
      sources: { 'org.osbuild.curl': { items: { [digest]: `file://${tgz}` } } },
      pipelines: [{ name: 'tree', 'source-epoch': 1700000000, stages: [tree, ...extra] }],
    });
    const store = join(work, `store-tree-${f}`);
    const base = writeManifest(`tree-${f}`, doc([]));
    const out = join(work, `out-tree-${f}`);
    // The yardstick: the same tree in a plain directory on the same file system.
    const plain = join(work, `plain-${f}`);
    if (!values['no-copy']) {
      run(osbuild('--store', store, '--export', 'tree', '--output-directory', out, base));
      execFileSync('cp', ['-a', join(out, 'tree'), plain]);
      run(['rm', '-rf', '--', out]);
    }
    const onTop = Array.from({ length: RUNS + 1 }, (_, r) => writeManifest(`tree-${f}-plus-${r}`, doc(mkdirStages(1, `round${r}-`))));
    // The same shape (one mkdir on the tree), built once: its warm export is
    // what the new stage's run costs besides the stage (the parent's seal
    // check, the export through a two-layer overlay).
    const onTopWarm = writeManifest(`tree-${f}-plus-warm`, doc(mkdirStages(1, 'warm-')));
    run(osbuild('--store', store, '--export', 'tree', '--output-directory', join(work, 'on-top-warm'), onTopWarm));
    // Only the new stage runs; the figure less the warm export's is what committing it cost.
    // Each export starts, like cp -a, with no destination (removing the last one is not timed).
    const clear = (dir) => () => run(['rm', '-rf', '--', dir]);
    jobs.push({ name: `commit ${f}`, prepare: clear(join(work, 'on-top')), argv: (r) => osbuild('--store', store, '--export', 'tree', '--output-directory', join(work, 'on-top'), onTop[r]) });
    jobs.push({ name: `on-top export ${f}`, prepare: clear(join(work, 'on-top-warm')), argv: osbuild('--store', store, '--export', 'tree', '--output-directory', join(work, 'on-top-warm'), onTopWarm) });
    if (!values['no-copy']) {
      jobs.push({ name: `export ${f}`, prepare: clear(out), argv: osbuild('--store', store, '--export', 'tree', '--output-directory', out, base) });
      jobs.push({ name: `cp -a ${f}`, prepare: clear(join(work, 'cp-copy')), argv: ['cp', '-a', plain, join(work, 'cp-copy')] });
    }
  }
  const t = rounds(jobs);
  const base = t['node -e 0'];
  console.log(`## trees (load ${results.load.at(-1)})`);
  console.log(line('node -e 0', base, base));
  for (const f of sizes) {
    const top = t[`commit ${f}`];
    const warmTop = t[`on-top export ${f}`];
    console.log(line(`${f} files: one stage on top +export`, top, base));
    console.log(line(`${f} files: same shape, warm --export`, warmTop, base));
    console.log(`${`${f} files: the stage alone`.padEnd(34)} wall ${fmt(top.wall - warmTop.wall).padStart(8)}  cpu ${fmt(top.cpu - warmTop.cpu).padStart(8)}  osbuild process cpu ${fmt(top.selfCpu - warmTop.selfCpu).padStart(8)} (${fmt(top.selfCpu)} − ${fmt(warmTop.selfCpu)}; should not grow with the tree)`);
    const row = { files: f, commit: top, onTopExport: warmTop };
    if (!values['no-copy']) {
      const exp = t[`export ${f}`];
      const cp = t[`cp -a ${f}`];
      console.log(line(`${f} files: warm --export`, exp, base));
      console.log(`${`${f} files: cp -a`.padEnd(34)} wall ${fmt(cp.wall).padStart(8)}  cpu ${fmt(cp.cpu).padStart(8)}  → export / cp -a = ${(exp.wall / cp.wall).toFixed(2)}× wall, ${(exp.cpu / cp.cpu).toFixed(2)}× cpu (goal ≤ 1.1×)`);
      Object.assign(row, { export: exp, cp });
    }
    results.trees.push(row);
  }
}

// ---- sources
if (!values.only || values.only === 'sources') {
  const sizes = list(values.sources);
  const jobs = [nodeJob];
  for (const s of sizes) {
    const items = {};
    for (let i = 0; i < s; i++) {
      const data = Buffer.from(`source ${i} of ${s}\n`);
      items[`sha256:${createHash('sha256').update(data).digest('hex')}`] = { encoding: 'base64', data: data.toString('base64') };
    }
    const file = writeManifest(`sources-${s}`, { version: '2', sources: { 'org.osbuild.inline': { items } }, pipelines: [{ name: 'tree', stages: mkdirStages(1) }] });
    const store = join(work, `store-sources-${s}`);
    const out = join(work, `out-sources-${s}`);
    const argv = osbuild('--store', store, '--export', 'tree', '--output-directory', out, file);
    jobs.push({ name: `cold ${s}`, prepare: () => rmSync(store, { recursive: true, force: true }), argv });
    jobs.push({ name: `warm ${s}`, prepare: (round) => round === 0 && run(argv), argv });
  }
  const t = rounds(jobs);
  const base = t['node -e 0'];
  console.log(`## sources (load ${results.load.at(-1)})`);
  console.log(line('node -e 0', base, base));
  for (const s of sizes) {
    console.log(line(`${s} inline sources cold`, t[`cold ${s}`], base));
    console.log(line(`${s} inline sources warm`, t[`warm ${s}`], base));
    results.sources.push({ sources: s, cold: t[`cold ${s}`], warm: t[`warm ${s}`] });
  }
  const cold = slope(sizes, sizes.map((s) => t[`cold ${s}`].wall));
  const warm = slope(sizes, sizes.map((s) => t[`warm ${s}`].wall));
  console.log(`per source: cold ${(cold * 1e6).toFixed(0)} µs, warm ${(warm * 1e6).toFixed(0)} µs`);
}

const rss = [...results.stages.flatMap((x) => [x.cold, x.warm]), ...results.trees.flatMap((x) => [x.commit, x.onTopExport, ...(x.export ? [x.export] : [])]), ...results.sources.flatMap((x) => [x.cold, x.warm])].map((f) => f.selfRss);
if (rss.length > 0) console.log(`peak RSS of the osbuild process over every size: ${Math.max(...rss).toFixed(0)} MB (goal ≤ 64 MB)`);
if (values.json) console.log(JSON.stringify(results));

#!/usr/bin/env node
// What checking layer seals costs on a warm export (issue #23): the Debian
// tree (debianTreeTarball: minbase from the host's apt mirror, cached) is
// committed into a store as one layer with four small layers on top, then
// exported again and again by fresh store handles (a new run checks every
// layer of the stack once, as a new build does):
//
//   without   openStore(…, {checkSeals: false}): `cp -a` of the merged tree
//   with      the same, with the seal check of the 5-layer stack
//
// Rounds alternate ABBA so a drift of the machine's load hits both alike;
// prints medians, the median of per-round ratios and the check alone
// (one walk of the stack, timed separately). Goal: ratio ≤ 1.05.
// Also prints what the commit-time seal (walk + sha256 of every file) costs
// next to the untar that made the layer. Needs root, mmdebstrap, the packages
// built (`pnpm build`). Options: --runs N (rounds, 4) --json

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { median, ms, time } from './lib/measure.mjs';

const root = join(import.meta.dirname, '..');
const dist = (pkg, file) => join(root, 'packages', pkg, 'dist', file);
const [{ openStore }, { debianTreeTarball, debianTreeUnavailable }] = await Promise.all([
  import(dist('store', 'index.js')),
  import(dist('plugin-kit', 'testing.js')),
]).catch((error) => {
  console.error('bench/store-verify: build the packages first: pnpm build');
  throw error;
});

const { values } = parseArgs({ options: { runs: { type: 'string', default: '4' }, json: { type: 'boolean', default: false } } });
const RUNS = Number(values.runs);

const unavailable = typeof debianTreeUnavailable === 'function' ? await debianTreeUnavailable() : null;
if (unavailable) {
  console.log(`skipped: ${unavailable}`);
  process.exit(0);
}
const tarball = await debianTreeTarball();
const work = mkdtempSync(join(tmpdir(), 'bench-store-verify-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const storeDir = join(work, 'store');

const key = (n) => n.toString(16).padStart(64, '0');
const must = (r, what) => {
  if (r.status !== 0) throw new Error(`${what} failed: ${r.stderr}`);
};

// The stack: the Debian tree, then four small layers.
let untar = 0;
let commitSeconds = 0;
{
  const store = await openStore(storeDir);
  try {
    let parent = null;
    for (let n = 1; n <= 5; n++) {
      const layer = await store.prepareLayer(key(n), parent);
      if (n === 1) untar = await time(async () => must(spawnSync('tar', ['-xf', tarball, '-C', layer.treePath]), 'tar'));
      else must(spawnSync('sh', ['-c', `mkdir -p etc/bench && echo ${n} > etc/bench/${n}`], { cwd: layer.treePath }), 'write');
      const seconds = await time(() => layer.commit({ id: key(n), plugins: [] }));
      if (n === 1) commitSeconds = seconds;
      parent = key(n);
    }
  } finally {
    await store.close();
  }
}
const files = spawnSync('sh', ['-c', `find ${storeDir}/objects/${key(1)}/layer | wc -l`], { encoding: 'utf8' }).stdout.trim();
const size = spawnSync('du', ['-sm', join(storeDir, 'objects', key(1), 'layer')], { encoding: 'utf8' }).stdout.split('\t')[0];

const exportOnce = async (checkSeals) => {
  const dest = join(work, `out-${checkSeals}`);
  rmSync(dest, { recursive: true, force: true });
  const store = await openStore(storeDir, { checkSeals });
  try {
    return await time(() => store.exportTree(key(5), dest));
  } finally {
    await store.close();
    rmSync(dest, { recursive: true, force: true });
  }
};
const checkOnce = async () => {
  const store = await openStore(storeDir);
  try {
    return await time(async () => (await store.hold(key(5))).release());
  } finally {
    await store.close();
  }
};

await exportOnce(true); // warm-up: page cache
await exportOnce(false);
const withCheck = [];
const without = [];
const ratios = [];
const checks = [];
for (let round = 0; round < RUNS; round++) {
  const order = round % 2 === 0 ? [true, false] : [false, true];
  const figures = {};
  for (const checkSeals of order) figures[checkSeals] = await exportOnce(checkSeals);
  withCheck.push(figures.true);
  without.push(figures.false);
  ratios.push(figures.true / figures.false);
  checks.push(await checkOnce());
}

const result = {
  tree: { entries: Number(files), megabytes: Number(size) },
  exportWithout: median(without),
  exportWith: median(withCheck),
  ratio: median(ratios),
  checkAlone: median(checks),
  untar,
  commitWithSeal: commitSeconds,
};
if (values.json) console.log(JSON.stringify(result));
else {
  console.log(`Debian tree: ${files} entries, ${size} MB, in a 5-layer stack; ${RUNS} rounds (ABBA)`);
  console.log(`warm export without seal check  ${ms(result.exportWithout)}`);
  console.log(`warm export with seal check     ${ms(result.exportWith)}   ratio ${result.ratio.toFixed(3)} (goal ≤ 1.05)`);
  console.log(`the seal check alone (5 layers) ${ms(result.checkAlone)}`);
  console.log(`per round (with/without, s): ${withCheck.map((w, i) => `${w.toFixed(2)}/${without[i].toFixed(2)}`).join('  ')}`);
  console.log(`commit of the Debian layer (du, seal walk, sha256 of every file) ${ms(commitSeconds)}, next to its untar ${ms(untar)}`);
}

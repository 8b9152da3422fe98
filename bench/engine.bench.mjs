// Engine and store (issue 5): mkdir ×1/×20/×40 manifests built cold and warm,
// beside a bare `node -e 0` measured in the same run; store size against the
// final tree; the cost of committing one stage against `cp -a` of the tree.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hyperfine, ms } from './hyperfine.mjs';

const root = join(import.meta.dirname, '..');
const osbuild = `${process.execPath} ${join(root, 'packages', 'cli', 'bin', 'osbuild.js')} --libdir ${root}`;
const work = mkdtempSync(join(tmpdir(), 'bench-engine-'));

function mkdirManifest(n) {
  const stages = Array.from({ length: n }, (_, i) => ({
    type: 'org.osbuild.mkdir',
    options: { paths: [{ path: `/d${i}`, mode: 493 }] },
  }));
  const file = join(work, `mkdir-${n}.json`);
  writeFileSync(file, JSON.stringify({ version: '2', pipelines: [{ name: 'tree', stages }] }));
  return file;
}

const du = (path) => Number(execFileSync('du', ['-s', '--block-size=1', path], { encoding: 'utf8' }).split('\t')[0]);

const commands = { 'node -e 0': `${process.execPath} -e 0` };
for (const n of [1, 20, 40]) {
  const file = mkdirManifest(n);
  const store = join(work, `store-${n}`);
  const out = join(work, `out-${n}`);
  const build = `${osbuild} --quiet --store ${store} --export tree --output-directory ${out} ${file}`;
  // Cold: a fresh store every run (hyperfine's --prepare is per command, so clear inline).
  commands[`mkdir-${n} cold`] = `sh -c 'rm -rf ${store} && exec ${build}'`;
  commands[`mkdir-${n} warm`] = build;
}
const t = hyperfine(commands, { runs: 10, warmup: 1 });
const base = t['node -e 0'].mean;
console.log(`node -e 0: ${ms(base)}`);
for (const n of [1, 20, 40]) {
  const cold = t[`mkdir-${n} cold`].mean;
  const warm = t[`mkdir-${n} warm`].mean;
  console.log(`mkdir-${n}: cold ${ms(cold)} (${(cold / base).toFixed(1)}× node), warm ${ms(warm)} (${(warm / base).toFixed(2)}× node; goal ≤ 2×)`);
}
if (t['mkdir-40 cold'] && t['mkdir-1 cold']) {
  const perStage = (t['mkdir-40 cold'].mean - t['mkdir-1 cold'].mean) / 39;
  console.log(`per-stage cost when building: ${ms(perStage)} = ${(perStage / base).toFixed(2)}× node start`);
}

// Store size after a 40-stage build vs the final tree it holds.
const store40 = join(work, 'store-40');
console.log(`store objects after mkdir-40: ${du(join(store40, 'objects'))} bytes; exported tree: ${du(join(work, 'out-40', 'tree'))} bytes ` +
  `(${(du(join(store40, 'objects')) / du(join(work, 'out-40', 'tree'))).toFixed(2)}×; goal ≤ 1.2×)`);

// Commit cost vs tree size: one small stage on top of a big tree, vs copying that tree.
const big = join(work, 'big.json');
writeFileSync(big, JSON.stringify({
  version: '2',
  pipelines: [{ name: 'tree', stages: [
    { type: 'org.osbuild.mkdir', options: { paths: Array.from({ length: 2000 }, (_, i) => ({ path: `/many/d${i}`, parents: true })) } },
    { type: 'org.osbuild.mkdir', options: { paths: [{ path: '/one-more' }] } },
  ] }],
}));
const bigStore = join(work, 'store-big');
execFileSync(process.execPath, [join(root, 'packages', 'cli', 'bin', 'osbuild.js'), '--libdir', root, '--quiet', '--store', bigStore, '--export', 'tree', '--output-directory', join(work, 'out-big'), big]);
const tree = join(work, 'out-big', 'tree');
const small = join(work, 'small.json');
writeFileSync(small, JSON.stringify({ version: '2', pipelines: [{ name: 'tree', stages: [{ type: 'org.osbuild.mkdir', options: { paths: [{ path: '/one-more' }] } }] }] }));
const smallStore = join(work, 'store-small');
const c = hyperfine({
  'cp -a of the 2000-dir tree': `sh -c 'rm -rf ${work}/copy && cp -a ${tree} ${work}/copy'`,
  'last stage on the 2000-dir tree': `sh -c 'rm -rf ${bigStore}/objects/$(ls -t ${bigStore}/objects | head -1) ${bigStore}/trail && exec ${osbuild} --quiet --store ${bigStore} --export tree --output-directory ${work}/o1 ${big}'`,
  'one stage on an empty tree': `sh -c 'rm -rf ${smallStore} && exec ${osbuild} --quiet --store ${smallStore} --export tree --output-directory ${work}/o2 ${small}'`,
}, { runs: 10, warmup: 1 });
console.log(`cp -a of a 2000-directory tree:           ${ms(c['cp -a of the 2000-dir tree'].mean)}`);
console.log(`a one-mkdir stage on that tree (+export):  ${ms(c['last stage on the 2000-dir tree'].mean)}`);
console.log(`a one-mkdir stage on an empty tree:       ${ms(c['one stage on an empty tree'].mean)}`);
rmSync(work, { recursive: true, force: true });

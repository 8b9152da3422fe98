#!/usr/bin/env node
// Per-stage overhead of @osbuild-ts/sandbox.
//
//   overhead = (time of 40 no-op stages − time of 1 no-op stage) / 39
//
// printed beside a bare `node -e 0` and a bare `bwrap … /bin/true` measured in
// the same run. Stages run as a pipeline does: one after another on the same
// tree, with the next runners prewarmed while the current stage runs. Two
// prewarmed variants: the tree handed over at "go" (mounted on the host and
// propagated into the waiting sandbox) and the tree known at prewarm time
// (bound by bwrap itself; no host mount per stage). A cold variant (a fresh
// sandbox and Node per stage) is printed for comparison. Needs root,
// bubblewrap, and the package built (`pnpm --filter @osbuild-ts/sandbox build`).
// The machine should be otherwise idle: the numbers are CPU-bound.
//
// Options: --stages N (40) --depth D (prewarm depth, 3) --rounds R (5) --json

import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const { createBuildSandbox, runInSandbox } = await import(path.join(here, '../packages/sandbox/dist/index.js')).catch((error) => {
  console.error('bench/sandbox: build the package first: pnpm --filter @osbuild-ts/sandbox build');
  throw error;
});

const { values } = parseArgs({
  options: {
    stages: { type: 'string', default: '40' },
    depth: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '5' },
    json: { type: 'boolean', default: false },
  },
});
const STAGES = Number(values.stages);
const DEPTH = Number(values.depth);
const ROUNDS = Number(values.rounds);

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function run(command, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore', env });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}`))));
  });
}

async function timeEach(n, fn) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

const loadBefore = os.loadavg()[0];
const work = await mkdtemp(path.join(os.tmpdir(), 'osbuild-ts-bench-'));
try {
  // A no-op stage plugin, made here so the bench needs no fixture.
  const plugin = path.join(work, 'node_modules', 'noop-stage');
  await mkdir(plugin, { recursive: true });
  await writeFile(path.join(plugin, 'package.json'), JSON.stringify({ name: 'noop-stage', version: '1.0.0', type: 'module' }));
  await writeFile(path.join(plugin, 'main.mjs'), '// no-op stage\n');
  const tree = path.join(work, 'tree');
  await mkdir(tree);
  const base = { entry: path.join(plugin, 'main.mjs'), packageDir: plugin, root: null };
  const args = (i) => ({ tree: '/run/osbuild/tree', options: {}, meta: { id: String(i) } });
  const start = (i) => ({ tree, arguments: args(i) });

  async function pipeline(n, depth, early = false) {
    const build = await createBuildSandbox({ buildDir: work });
    const spec = early ? { ...base, tree } : base;
    try {
      const queue = [];
      for (let i = 0; i < Math.min(depth, n); i++) queue.push(build.prewarm(spec));
      for (let i = 0; i < n; i++) {
        const runner = queue.shift();
        if (i + depth < n) queue.push(build.prewarm(spec));
        const result = await runner.start(early ? { arguments: args(i) } : start(i));
        if (result.exitCode !== 0) throw new Error(`stage ${i} failed: ${result.outputTail.join('\n')}`);
      }
    } finally {
      await build.close();
    }
  }

  async function cold(n) {
    for (let i = 0; i < n; i++) {
      const result = await runInSandbox({ ...base, ...start(i), tempDir: work });
      if (result.exitCode !== 0) throw new Error(`stage ${i} failed`);
    }
  }

  const bwrapTrue = ['--ro-bind', '/usr', '/usr', '--symlink', 'usr/lib', '/lib', '--symlink', 'usr/lib64', '/lib64', '--symlink', 'usr/bin', '/bin',
    '--proc', '/proc', '--dev', '/dev', '--unshare-pid', '--unshare-net', '--unshare-ipc', '--unshare-uts', '--die-with-parent', '/bin/true'];

  await pipeline(3, DEPTH); // warm the file cache and the memoised lookups
  const nodeBare = await timeEach(20, () => run(process.execPath, ['-e', '0'], process.env));
  const nodeCleanEnv = await timeEach(20, () => run(process.execPath, ['-e', '0'], { PATH: '/usr/sbin:/usr/bin' }));
  const bwrapBare = await timeEach(20, () => run('bwrap', bwrapTrue, process.env));
  // Interleaved, so that drift in the machine's load hits all four alike.
  const samples = { one: [], many: [], earlyOne: [], earlyMany: [] };
  for (let round = 0; round < ROUNDS; round++) {
    samples.one.push(await timeEach(1, () => pipeline(1, DEPTH)));
    samples.many.push(await timeEach(1, () => pipeline(STAGES, DEPTH)));
    samples.earlyOne.push(await timeEach(1, () => pipeline(1, DEPTH, true)));
    samples.earlyMany.push(await timeEach(1, () => pipeline(STAGES, DEPTH, true)));
  }
  const one = median(samples.one);
  const many = median(samples.many);
  const overhead = (many - one) / (STAGES - 1);
  const earlyOne = median(samples.earlyOne);
  const earlyMany = median(samples.earlyMany);
  const earlyOverhead = (earlyMany - earlyOne) / (STAGES - 1);
  const coldOne = await timeEach(ROUNDS, () => cold(1));
  const coldMany = await timeEach(Math.min(ROUNDS, 3), () => cold(STAGES));
  const coldOverhead = (coldMany - coldOne) / (STAGES - 1);

  const report = {
    stages: STAGES,
    prewarmDepth: DEPTH,
    rounds: ROUNDS,
    cpus: os.cpus().length,
    nodeBareMs: nodeBare,
    nodeBareCleanEnvMs: nodeCleanEnv,
    bwrapBareMs: bwrapBare,
    loadAverageBefore: loadBefore,
    pipelineOneMs: one,
    pipelineManyMs: many,
    perStageOverheadMs: overhead,
    treeAtPrewarmOneMs: earlyOne,
    treeAtPrewarmManyMs: earlyMany,
    treeAtPrewarmPerStageOverheadMs: earlyOverhead,
    coldPerStageOverheadMs: coldOverhead,
    ratioToNode: overhead / nodeBare,
    treeAtPrewarmRatioToNode: earlyOverhead / nodeBare,
    ratioToNodeCleanEnv: overhead / nodeCleanEnv,
    treeAtPrewarmRatioToNodeCleanEnv: earlyOverhead / nodeCleanEnv,
    goal: 'per-stage overhead <= 0.5 x bare node start',
    goalMet: overhead <= 0.5 * nodeBare,
    treeAtPrewarmGoalMet: earlyOverhead <= 0.5 * nodeBare,
  };
  if (values.json) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    const ms = (x) => `${x.toFixed(1)} ms`;
    const ratio = (x) => `${(x / nodeBare).toFixed(2)}× node, ${(x / nodeCleanEnv).toFixed(2)}× clean-env node`;
    console.log(`sandbox per-stage overhead (${STAGES} vs 1 no-op stages, prewarm depth ${DEPTH}, median of ${ROUNDS}, ${report.cpus} CPUs, load before ${loadBefore.toFixed(2)})`);
    console.log(`  bare node -e 0 ................................ ${ms(nodeBare)}   (clean env: ${ms(nodeCleanEnv)})`);
    console.log(`  bare bwrap … /bin/true ........................ ${ms(bwrapBare)}`);
    console.log(`  prewarmed, tree at go:      1 / ${STAGES} stages ... ${ms(one)} / ${ms(many)}`);
    console.log(`    per-stage overhead .......................... ${ms(overhead)}   (${ratio(overhead)})`);
    console.log(`  prewarmed, tree at prewarm: 1 / ${STAGES} stages ... ${ms(earlyOne)} / ${ms(earlyMany)}`);
    console.log(`    per-stage overhead .......................... ${ms(earlyOverhead)}   (${ratio(earlyOverhead)})`);
    console.log(`  cold (no prewarm), per-stage overhead ......... ${ms(coldOverhead)}`);
    console.log(`  goal ≤ 0.5× bare node: tree at go ${report.goalMet ? 'met' : 'NOT met'}, tree at prewarm ${report.treeAtPrewarmGoalMet ? 'met' : 'NOT met'}`);
  }
} finally {
  await rm(work, { recursive: true, force: true });
}

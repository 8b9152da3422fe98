// Measures what the README quotes: lock costs, and that commit cost does not
// grow with the tree below the layer. Run as root after a build:
//   node packages/store/bench/cost.mjs
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../dist/index.js';
import { lockFile, tryLockFile } from '../dist/lock.js';

const dir = mkdtempSync('/tmp/osbuild-ts-storebench-');
const ms = (t0) => performance.now() - t0;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// 1. One lock: open + OFD lock + close.
{
  const path = join(dir, 'l');
  const n = 20_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) tryLockFile(path, i % 2 ? 'shared' : 'exclusive')?.release();
  console.log(`OFD lock+unlock (open, fcntl, close): ${((ms(t0) * 1000) / n).toFixed(1)} µs`);
}

// 2. The alternative we did not take: a util-linux `flock` helper process per lock.
{
  const path = join(dir, 'f');
  const times = [];
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now();
    const child = spawn('flock', ['-s', path, 'cat'], { stdio: ['pipe', 'ignore', 'ignore'] });
    await new Promise((resolve) => child.on('spawn', resolve));
    // Not even waiting for the lock to be taken: spawn alone is the floor.
    times.push(ms(t0));
    child.stdin.end();
    await new Promise((resolve) => child.on('exit', resolve));
  }
  console.log(`util-linux flock helper, spawn only: ${median(times).toFixed(2)} ms median`);
}

// 3. Cross-process hand-over: a waiter polls; how long after the release does it get the lock?
{
  const path = join(dir, 'h');
  const lags = [];
  for (let i = 0; i < 10; i++) {
    const holder = tryLockFile(path, 'exclusive');
    const child = spawn(process.execPath, ['--input-type=module', '-e', `
      const { lockFile } = await import(${JSON.stringify(new URL('../dist/lock.js', import.meta.url).href)});
      process.stdout.write('waiting\\n');
      const l = await lockFile(${JSON.stringify(path)}, 'exclusive');
      process.stdout.write(String(performance.timeOrigin + performance.now()) + '\\n');
      l.release();`], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    while (!out.includes('waiting')) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 200 + i * 37)); // the waiter is in its slowest poll by now
    const released = performance.timeOrigin + performance.now();
    holder.release();
    await new Promise((resolve) => child.on('exit', resolve));
    lags.push(Number(out.split('\n')[1]) - released);
  }
  console.log(`hand-over to a waiting process: median ${median(lags).toFixed(1)} ms, max ${Math.max(...lags).toFixed(1)} ms`);
}

// 4. Store operations: hold() of a 40-layer stack, commit on a small vs a large tree.
{
  const root = join(dir, 'store');
  const store = await openStore(root);
  let parent = null;
  const commits = [];
  for (let i = 0; i < 40; i++) {
    const k = (0x1000000000 + i).toString(16);
    const p = await store.prepareLayer(k, parent);
    writeFileSync(join(p.treePath, `f${i}`), 'x');
    const t0 = performance.now();
    (await p.commit({ id: k, plugins: [] })).release();
    commits.push(ms(t0));
    parent = k;
  }
  const holds = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    const h = await store.hold(parent);
    holds.push(ms(t0));
    h.release();
  }
  console.log(`hold() of a 40-layer stack (40 OFD read locks + LRU touch): ${median(holds).toFixed(2)} ms median`);
  console.log(`commit of a 1-file layer at depths 1–40: median ${median(commits).toFixed(1)} ms`);

  // A big base layer: 50 000 files (≈ 200 MB tree would behave the same: nothing is copied).
  const big = await store.prepareLayer('b16b16b16b16', null);
  for (let d = 0; d < 50; d++) {
    mkdirSync(join(big.treePath, `d${d}`));
    for (let f = 0; f < 1000; f++) writeFileSync(join(big.treePath, `d${d}`, `f${f}`), 'y'.repeat(100));
  }
  let t0 = performance.now();
  (await big.commit({ id: 'big', plugins: [] })).release();
  console.log(`commit of the 50 000-file base layer itself (du of the layer): ${ms(t0).toFixed(0)} ms`);
  const onBig = [];
  const onSmall = [];
  for (let i = 0; i < 10; i++) {
    for (const [base, out] of [['b16b16b16b16', onBig], [parent, onSmall]]) {
      const p = await store.prepareLayer((0x2000000000 + i * 2 + (out === onBig ? 1 : 0)).toString(16), base);
      writeFileSync(join(p.treePath, 'etc-motd'), 'hello');
      t0 = performance.now();
      (await p.commit({ id: 'x', plugins: [] })).release();
      out.push(ms(t0));
    }
  }
  console.log(`commit of a 1-file layer on a 50 000-file tree: ${median(onBig).toFixed(1)} ms; on a 40-file tree: ${median(onSmall).toFixed(1)} ms`);
  await store.close();
}

spawnSync('true');
rmSync(dir, { recursive: true, force: true });

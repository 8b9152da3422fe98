import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/index.js';
import { key, mountsBelow, scratchDir, startWorker } from './helpers.js';

const scratch = scratchDir('mounts');

/** mountinfo optional fields (`shared:N`, `master:N`) of each mount point below dir. */
function propagation(dir: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const fields = line.split(' ');
    const point = fields[4] ?? '';
    if (point.startsWith(`${dir}/`)) map.set(point, fields.slice(6, fields.indexOf('-')));
  }
  return map;
}

describe('mount hygiene', () => {
  // A shared parent with a peer, as on a systemd host: anything that
  // propagated from the store's mounts would show up under the peer.
  const host = scratch.fresh('host');
  const peer = scratch.fresh('peer');
  execFileSync('mount', ['--bind', host, host]);
  execFileSync('mount', ['--make-shared', host]);
  execFileSync('mount', ['--bind', host, peer]);
  afterAll(() => {
    execFileSync('umount', [peer]);
    execFileSync('umount', [host]);
  });

  it('keeps every mount private and leaves none behind', async () => {
    const root = join(host, 'store');
    const store = await openStore(root);
    const one = await store.prepareLayer(key('p1'), null);
    if (one.cached) throw new Error('unexpected');
    mkdirSync(join(one.treePath, 'etc'));
    writeFileSync(join(one.treePath, 'etc', 'f'), 'x');
    await one.commit({ id: 'p1', plugins: [] });
    const two = await store.prepareLayer(key('p2'), key('p1'));
    const view = await store.mountTree(key('p1'));

    const ours = propagation(root);
    expect(ours.size).toBe(3); // the run's tmpfs, the stage's overlay, the view
    for (const [point, fields] of ours) expect(fields, point).toEqual([]);
    // Only the run's tmpfs itself was created under the shared parent; nothing below it propagated.
    expect(mountsBelow(join(peer, 'store'))).toEqual([join(peer, 'store', 'runs', store.runId)]);

    await view.unmount();
    if (!two.cached) await two.abort();
    await store.close();
    expect(mountsBelow(root)).toEqual([]);
    expect(mountsBelow(join(peer, 'store'))).toEqual([]); // the unmount propagated
  });

  it('a warm export mounts no run tmpfs, and its view shows nowhere outside its own namespace', async () => {
    const root = join(host, 'warm-store');
    const build = await openStore(root);
    let parent: string | null = null;
    for (const name of ['w1', 'w2']) {
      const prepared = await build.prepareLayer(key(name), parent);
      if (prepared.cached) throw new Error('unexpected');
      writeFileSync(join(prepared.treePath, name), name);
      await prepared.commit({ id: name, plugins: [] });
      parent = key(name);
    }
    await build.close();

    const store = await openStore(root);
    // Opening mounts nothing: the tmpfs waits for the first mount a run makes.
    expect(propagation(root).size).toBe(0);
    const seen: string[][] = [];
    const out = join(scratch.fresh('out'), 'tree');
    // Sampled while the export runs: neither here nor under the peer does its view (or a tmpfs) appear.
    const watcher = setInterval(() => seen.push([...propagation(root).keys(), ...mountsBelow(join(peer, 'warm-store'))]), 1);
    try {
      await store.exportTree(key('w2'), out);
    } finally {
      clearInterval(watcher);
    }
    expect(seen.flat()).toEqual([]);
    expect(readFileSync(join(out, 'w1'), 'utf8')).toBe('w1');
    expect(readFileSync(join(out, 'w2'), 'utf8')).toBe('w2');
    await store.close();
    expect(mountsBelow(root)).toEqual([]);
    expect(readdirSync(join(root, 'runs'))).toEqual([]);
    expect(readdirSync(join(root, 'tmp'))).toEqual([]);

    // A build in the same kind of run still gets its private tmpfs, at first use.
    const again = await openStore(root);
    const three = await again.prepareLayer(key('w3'), key('w2'));
    if (three.cached) throw new Error('unexpected');
    expect(mountsBelow(join(root, 'runs'))).toContain(join(root, 'runs', again.runId));
    await three.abort();
    await again.close();
    expect(mountsBelow(root)).toEqual([]);
  });

  it('mounts at a caller-chosen target, and recovery unmounts it after a crash', async () => {
    const root = scratch.fresh('store');
    const target = scratch.fresh('target');
    const store = await openStore(root);
    const one = await store.prepareLayer(key('t1'), null, { target });
    if (one.cached) throw new Error('unexpected');
    expect(one.treePath).toBe(target);
    writeFileSync(join(target, 'f'), 'x');
    await one.commit({ id: 't1', plugins: [] });
    expect(mountsBelow(target)).toEqual([]);
    const view = await store.mountTree(key('t1'), { target });
    expect(readFileSync(join(target, 'f'), 'utf8')).toBe('x');
    await view.unmount();
    expect(mountsBelow(target)).toEqual([]);
    await store.close();
  });

  it('a build killed while its tree is mounted at a caller-chosen target: the next open unmounts it', async () => {
    const root = scratch.fresh('store');
    const target = scratch.fresh('target');
    const worker = startWorker({ kind: 'chain', store: root, keys: [key('z1')], stageMs: 5_000, target });
    await worker.waitFor((e) => e.event === 'prepared');
    expect(mountsBelow(target)).toEqual([target]);
    worker.child.kill('SIGKILL');
    await worker.exited;
    const store = await openStore(root);
    expect(store.recovered.length).toBe(1);
    expect(mountsBelow(target)).toEqual([]);
    await store.close();
  });
});

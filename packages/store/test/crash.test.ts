import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../src/index.js';
import { entries, key, mountsBelow, scratchDir, startWorker } from './helpers.js';

const scratch = scratchDir('crash');

describe('two builds sharing a store', () => {
  it('never build one key twice at once: the second waits, then reuses', async () => {
    const root = scratch.fresh('store');
    const keys = [key('shared1'), key('shared2'), key('shared3')];
    const task = { kind: 'chain', store: root, keys, stageMs: 300 };
    const a = startWorker(task);
    const b = startWorker(task);
    const [ra, rb] = await Promise.all([a.exited, b.exited]);
    expect([ra.code, rb.code], ra.stderr + rb.stderr).toEqual([0, 0]);

    const all = [...a.events, ...b.events];
    for (const k of keys) {
      const built = all.filter((e) => e.key === k && e.event === 'built');
      const cached = all.filter((e) => e.key === k && e.event === 'cached');
      expect(built.length, `built ${k}`).toBe(1);
      expect(cached.length, `cached ${k}`).toBe(1);
      // The waiter got the object only once it was built: after the builder's stage ran. (Not after
      // the builder's 'built' event: commit() releases the build lock before it returns, and a
      // waiter whose seal check is quick can report first.)
      const prepared = all.find((e) => e.key === k && e.event === 'prepared') as { t: number };
      expect((cached[0] as { t: number }).t).toBeGreaterThanOrEqual(prepared.t + task.stageMs);
    }
    const store = await openStore(root);
    const tree = await store.mountTree(keys[2] as string);
    expect(readFileSync(join(tree.path, 'log'), 'utf8')).toBe(`${keys.join('\n')}\n`);
    await tree.unmount();
    await store.close();
  });
});

describe('kill -9', () => {
  it('mid-stage: the next open cleans up and reuses every committed object', async () => {
    const root = scratch.fresh('store');
    const keys = [1, 2, 3, 4, 5].map((n) => key(`k${n}`));
    const worker = startWorker({ kind: 'chain', store: root, keys, stageMs: 2_000 });
    const open = await worker.waitFor((e) => e.event === 'open');
    const prepared = await worker.waitFor((e) => e.event === 'prepared' && e.key === keys[1]);
    // Let the stage write its files into the half-built layer, then kill.
    await new Promise((resolve) => setTimeout(resolve, 100));
    worker.child.kill('SIGKILL');
    expect((await worker.exited).signal).toBe('SIGKILL');

    // The dead build left its private tmpfs and the overlay of the stage.
    expect(mountsBelow(root)).toContain(prepared['tree']);
    expect(entries(join(root, 'stage')).length).toBe(1);

    const store = await openStore(root);
    expect(store.recovered).toEqual([open['runId']]);
    expect(mountsBelow(root)).toEqual([]); // the dead run's mounts are gone; this run mounts its tmpfs at first use
    expect(entries(join(root, 'stage'))).toEqual([]);
    expect(entries(join(root, 'runs'))).toEqual([store.runId, `${store.runId}.lock`].sort());
    expect(entries(join(root, 'locks'))).toEqual([]);
    expect(entries(join(root, 'objects'))).toEqual([keys[0]]);

    const again = await store.prepareLayer(keys[0] as string, null);
    expect(again.cached).toBe(true);
    const rebuild = await store.prepareLayer(keys[1] as string, keys[0] as string);
    expect(rebuild.cached).toBe(false);
    if (!rebuild.cached) {
      expect(entries(rebuild.treePath)).toEqual(['log', 'stages']); // the first stage's files only
      expect(entries(join(rebuild.treePath, 'stages'))).toEqual([keys[0]]);
      await rebuild.abort();
    }
    await store.close();
  });

  it('at random points: every visible object stays valid and usable', async () => {
    const root = scratch.fresh('store');
    // A fixed sequence of 30 delays (ms, 5–270 spread), so that a failure can be replayed.
    const delays = Array.from({ length: 30 }, (_, i) => ((i * 97) % 266) + 5);
    for (const [seed, delay] of delays.entries()) {
      const worker = startWorker({ kind: 'chains-forever', store: root, seed, stageMs: 0 });
      await worker.waitFor((e) => e.event === 'open');
      // Every third kill comes after the worker's first commit, however slow the machine: so
      // objects exist to be checked, with no figure that depends on the machine's speed.
      if (seed % 3 === 0) await worker.waitFor((e) => e.event === 'built');
      await new Promise((resolve) => setTimeout(resolve, delay));
      worker.child.kill('SIGKILL');
      await worker.exited;

      const store = await openStore(root);
      expect(entries(join(root, 'stage'))).toEqual([]);
      expect(mountsBelow(root)).toEqual([]); // the dead run's mounts are gone; this run mounts its tmpfs at first use
      for (const entry of await store.list()) {
        // Each stage wrote /stages/<its key>; the tree holds exactly the chain's keys.
        const chain: string[] = [];
        for (let k: string | null = entry.key; k !== null; k = (await store.info(k))?.parent ?? null) chain.unshift(k);
        const tree = await store.mountTree(entry.key);
        expect(readdirSync(join(tree.path, 'stages')).sort()).toEqual([...chain].sort());
        expect(readFileSync(join(tree.path, 'log'), 'utf8')).toBe(`${chain.join('\n')}\n`);
        await tree.unmount();
      }
      // Every directory in objects/ is a complete object, sealed as committed.
      expect((await store.list()).map((e) => e.key).sort()).toEqual(entries(join(root, 'objects')));
      expect((await store.verify()).filter((report) => report.status !== 'ok')).toEqual([]);
      await store.close();
    }
    // At least the workers that were let commit did (each seed builds keys of its own).
    expect(entries(join(root, 'objects')).length).toBeGreaterThanOrEqual(delays.filter((_, seed) => seed % 3 === 0).length);
  }, 300_000);
});

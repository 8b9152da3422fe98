import { chmodSync, closeSync, existsSync, lstatSync, openSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import fsx from 'fs-native-extensions';
import { describe, expect, it } from 'vitest';
import { isStoreError, openStore, type PreparedLayer } from '../src/index.js';
import { entries, key, mountsBelow, scratchDir } from './helpers.js';

const scratch = scratchDir('commit');

function built(prepared: Awaited<ReturnType<Awaited<ReturnType<typeof openStore>>['prepareLayer']>>): PreparedLayer {
  if (prepared.cached) throw new Error(`expected to build ${prepared.key}, it was cached`);
  return prepared;
}

describe('commit and reuse', () => {
  it('commits a layer per stage and reuses it from a later handle', async () => {
    const root = scratch.fresh('store');
    const store = await openStore(root);
    const first = built(await store.prepareLayer(key('s1'), null));
    mkdirSync(join(first.treePath, 'etc'));
    writeFileSync(join(first.treePath, 'etc', 'hostname'), 'one\n');
    await first.commit({ id: 'stage-one', plugins: [{ name: 'org.osbuild.mkdir', version: '1.0.0' }], metadata: { a: 1 } });

    const second = built(await store.prepareLayer(key('s2'), key('s1')));
    expect(readFileSync(join(second.treePath, 'etc', 'hostname'), 'utf8')).toBe('one\n');
    writeFileSync(join(second.treePath, 'etc', 'motd'), 'hi\n');
    await second.commit({ id: 'stage-two', plugins: [] });
    await store.close();

    // Layer 2 holds only what stage 2 changed: commit copies nothing.
    expect(entries(join(root, 'objects', key('s2'), 'layer', 'etc'))).toEqual(['motd']);
    expect(entries(join(root, 'stage'))).toEqual([]);
    expect(entries(join(root, 'runs'))).toEqual([]);
    expect(readFileSync(join(root, 'CACHEDIR.TAG'), 'utf8')).toBe(
      'Signature: 8a477f597d28d172789f06886806bc55\n# This is a cache directory tag created by osbuild (see https://bford.info/cachedir/)\n',
    );
    expect(JSON.parse(readFileSync(join(root, 'cache.info'), 'utf8'))).toEqual({ version: 1, 'maximum-size': 'unlimited' });

    const again = await openStore(root);
    const cached = await again.prepareLayer(key('s2'), key('s1'));
    expect(cached.cached).toBe(true);
    const info = await again.info(key('s2'));
    expect(info).toMatchObject({ key: key('s2'), id: 'stage-two', parent: key('s1'), lower: key('s1'), depth: 2, plugins: [] });
    expect(info?.size).toBeGreaterThan(0);
    expect(await again.info(key('s1'))).toMatchObject({ parent: null, lower: null, depth: 1, plugins: [{ name: 'org.osbuild.mkdir', version: '1.0.0' }] });
    expect(await again.metadata(key('s1'))).toEqual({ a: 1 });
    expect(await again.metadata(key('s2'))).toBeNull();

    const tree = await again.mountTree(key('s2'));
    expect(readdirSync(join(tree.path, 'etc')).sort()).toEqual(['hostname', 'motd']);
    expect(() => writeFileSync(join(tree.path, 'etc', 'x'), 'x')).toThrow(/EROFS/);
    await tree.unmount();
    await again.close();
  });

  it('a second builder of a key in the same process waits, then reuses', async () => {
    const store = await openStore(scratch.fresh('store'));
    const first = built(await store.prepareLayer(key('same'), null));
    let secondDone = false;
    let waits = 0;
    const second = store.prepareLayer(key('same'), null, { onWait: () => waits++ }).then((prepared) => {
      secondDone = true;
      return prepared;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(secondDone).toBe(false);
    // Told once that it waits (the progress view says so), however long it polls.
    expect(waits).toBe(1);
    writeFileSync(join(first.treePath, 'f'), 'x');
    await first.commit({ id: 'same', plugins: [] });
    const reused = await second;
    expect(reused.cached).toBe(true);
    await store.close();
  });

  it('a waiting builder can be cancelled', async () => {
    const store = await openStore(scratch.fresh('store'));
    const first = built(await store.prepareLayer(key('cancel'), null));
    const controller = new AbortController();
    const waiting = store.prepareLayer(key('cancel'), null, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('cancelled')), 50);
    await expect(waiting).rejects.toThrow('cancelled');
    await first.abort();
    await store.close();
  });

  it('abort discards the layer and frees the key', async () => {
    const root = scratch.fresh('store');
    const store = await openStore(root);
    const layer = built(await store.prepareLayer(key('a1'), null));
    writeFileSync(join(layer.treePath, 'junk'), 'junk');
    await layer.abort();
    expect(await store.has(key('a1'))).toBe(false);
    expect(entries(join(root, 'stage'))).toEqual([]);
    const retry = built(await store.prepareLayer(key('a1'), null));
    expect(entries(retry.treePath)).toEqual([]);
    await retry.commit({ id: 'a1', plugins: [] });
    expect(await store.has(key('a1'))).toBe(true);
    await store.close();
  });

  it('a missing parent is a `missing` store error', async () => {
    const store = await openStore(scratch.fresh('store'));
    await expect(store.prepareLayer(key('c1'), key('nothing'))).rejects.toMatchObject({ code: 'E_STORE', reason: 'missing' });
    await expect(store.prepareLayer('../etc', null)).rejects.toMatchObject({ code: 'E_STORE', reason: 'usage' });
    await store.close();
  });

  it('close aborts open layers and unmounts open trees', async () => {
    const root = scratch.fresh('store');
    const store = await openStore(root);
    const one = built(await store.prepareLayer(key('o1'), null));
    await one.commit({ id: 'o1', plugins: [] });
    await store.mountTree(key('o1'));
    await store.mountTree(key('o1'), { writable: true });
    await store.prepareLayer(key('o2'), key('o1'));
    expect(mountsBelow(root).length).toBe(4); // the run's tmpfs + 3
    await store.close();
    expect(mountsBelow(root)).toEqual([]);
    expect(entries(join(root, 'stage'))).toEqual([]);
    expect(entries(join(root, 'tmp'))).toEqual([]);
    expect(entries(join(root, 'locks'))).toEqual([]);
  });

  it('a writable view discards its changes', async () => {
    const root = scratch.fresh('store');
    const store = await openStore(root);
    const one = built(await store.prepareLayer(key('w1'), null));
    writeFileSync(join(one.treePath, 'f'), 'original');
    await one.commit({ id: 'w1', plugins: [] });
    const view = await store.mountTree(key('w1'), { writable: true });
    writeFileSync(join(view.path, 'f'), 'changed');
    writeFileSync(join(view.path, 'g'), 'new');
    await view.unmount();
    const tree = await store.mountTree(key('w1'));
    expect(entries(tree.path)).toEqual(['f']);
    expect(readFileSync(join(tree.path, 'f'), 'utf8')).toBe('original');
    await tree.unmount();
    await store.close();
  });
});

describe('layers keep deletions', () => {
  it('whiteouts, opaque dirs and renamed dirs survive commit, stacking and export', async () => {
    const root = scratch.fresh('store');
    const store = await openStore(root);
    const base = built(await store.prepareLayer(key('b1'), null));
    for (const dir of ['etc', 'var/cache', 'opt/app']) mkdirSync(join(base.treePath, dir), { recursive: true });
    writeFileSync(join(base.treePath, 'etc', 'gone'), 'x');
    writeFileSync(join(base.treePath, 'etc', 'kept'), 'x');
    writeFileSync(join(base.treePath, 'var', 'cache', 'old'), 'x');
    writeFileSync(join(base.treePath, 'opt', 'app', 'bin'), 'x');
    await base.commit({ id: 'b1', plugins: [] });

    const change = built(await store.prepareLayer(key('b2'), key('b1')));
    rmSync(join(change.treePath, 'etc', 'gone'));
    rmSync(join(change.treePath, 'var', 'cache'), { recursive: true });
    mkdirSync(join(change.treePath, 'var', 'cache'));
    writeFileSync(join(change.treePath, 'var', 'cache', 'new'), 'x');
    renameSync(join(change.treePath, 'opt', 'app'), join(change.treePath, 'opt', 'app2'));
    await change.commit({ id: 'b2', plugins: [] });

    const layer = join(root, 'objects', key('b2'), 'layer');
    const whiteout = lstatSync(join(layer, 'etc', 'gone'));
    expect(whiteout.isCharacterDevice() && whiteout.rdev === 0).toBe(true);
    const fd = openSync(join(layer, 'var', 'cache'), 'r');
    expect(fsx.getAttrSync(fd, 'trusted.overlay.opaque')?.toString()).toBe('y');
    closeSync(fd);

    // A third layer stacks on both: the deletions must still hold.
    const third = built(await store.prepareLayer(key('b3'), key('b2')));
    expect(entries(join(third.treePath, 'etc'))).toEqual(['kept']);
    expect(entries(join(third.treePath, 'var', 'cache'))).toEqual(['new']);
    expect(entries(join(third.treePath, 'opt'))).toEqual(['app2']);
    expect(entries(join(third.treePath, 'opt', 'app2'))).toEqual(['bin']);
    await third.commit({ id: 'b3', plugins: [] });

    const out = join(scratch.fresh('out'), 'image');
    await store.exportTree(key('b3'), out);
    expect(entries(join(out, 'etc'))).toEqual(['kept']);
    expect(entries(join(out, 'var', 'cache'))).toEqual(['new']);
    expect(entries(join(out, 'opt', 'app2'))).toEqual(['bin']);
    expect(existsSync(join(out, 'opt', 'app'))).toBe(false);
    // The whiteouts share one inode with overlay's work dir; its removal must not move the seal.
    expect((await store.verify()).map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
    await store.close();
  });
});

describe('exportTree with replace', () => {
  it('removes what was at the destination in the same shell, and copies the tree', async () => {
    const root = scratch.fresh('store');
    const store = await openStore(root);
    let parent: string | null = null;
    for (const name of ['r1', 'r2']) {
      const prepared = (await store.prepareLayer(key(name), parent)) as PreparedLayer;
      writeFileSync(join(prepared.treePath, name), name);
      await prepared.commit({ id: name, plugins: [] });
      parent = key(name);
    }
    const out = join(scratch.fresh('out'), 'tree');
    await store.exportTree(key('r2'), out, { replace: true }); // nothing there yet
    expect(entries(out)).toEqual(['r1', 'r2']);
    const root0 = statSync(out);
    mkdirSync(join(out, 'stale', 'deep'), { recursive: true });
    writeFileSync(join(out, 'stale', 'deep', 'file'), 'old');
    // The replaced destination is made again by the copy (cp -T): the view's root's mode and times, as the first export.
    chmodSync(out, 0o700);
    await store.exportTree(key('r2'), out, { replace: true });
    expect(entries(out)).toEqual(['r1', 'r2']);
    expect(statSync(out).mode).toBe(root0.mode);
    expect(statSync(out).mtimeMs).toBe(root0.mtimeMs);
    // Without replace, the copy goes over what is there (the store's own contract).
    writeFileSync(join(out, 'extra'), 'x');
    await store.exportTree(key('r2'), out);
    expect(entries(out)).toEqual(['extra', 'r1', 'r2']);
    expect(mountsBelow(join(root, 'runs'))).toEqual([join(root, 'runs', store.runId)]);
    await store.close();
  });
});

describe('exportTree when the copy fails', () => {
  it('names cp and the reason, and leaves no mount behind', async () => {
    const root = scratch.fresh('store');
    const store = await openStore(root);
    let parent: string | null = null;
    for (const name of ['e1', 'e2']) {
      const prepared = (await store.prepareLayer(key(name), parent)) as PreparedLayer;
      writeFileSync(join(prepared.treePath, name), name);
      await prepared.commit({ id: name, plugins: [] });
      parent = key(name);
    }
    // A destination that exists but cannot be written: a read-only tmpfs.
    const readOnly = scratch.fresh('ro');
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'bench-ro', readOnly]);
    try {
      mkdirSync(join(readOnly, 'out'));
      execFileSync('mount', ['-o', 'remount,ro', readOnly]);
      const error = await store.exportTree(key('e2'), join(readOnly, 'out')).then(() => null, (caught: unknown) => caught);
      expect(isStoreError(error)).toBe(true);
      expect((error as Error).message).toMatch(/^cp -a --reflink=auto .* failed: .*Read-only file system/);
      expect(mountsBelow(join(root, 'runs'))).toEqual([join(root, 'runs', store.runId)]);
    } finally {
      execFileSync('umount', [readOnly]);
      await store.close();
    }
  });
});

describe('holds read a stack once while they keep it', () => {
  /** A new store holding one stack, a layer per name (bottom first), each adding a file of that name; closed again. */
  async function storeWithStack(names: readonly string[]): Promise<string> {
    const root = scratch.fresh('store');
    const build = await openStore(root);
    let parent: string | null = null;
    for (const name of names) {
      const prepared = built(await build.prepareLayer(key(name), parent));
      writeFileSync(join(prepared.treePath, name), name);
      await prepared.commit({ id: name, plugins: [] });
      parent = key(name);
    }
    await build.close();
    return root;
  }

  it('a second hold of a held stack reads no object.info; a drop makes the next hold read again', async () => {
    const root = await storeWithStack(['h1', 'h2', 'h3']);
    // A fresh handle: nothing held yet (a run holds what it commits).
    const store = await openStore(root);
    const first = await store.hold(key('h3'));
    expect(first.stack.map((info) => info.id)).toEqual(['h3', 'h2', 'h1']);
    // Unreadable now; the held stack was read under its locks and cannot have changed since.
    const info = join(root, 'objects', key('h1'), 'object.info');
    const text = readFileSync(info, 'utf8');
    writeFileSync(info, 'not json');
    const second = await store.hold(key('h2'));
    expect(second.stack.map((i) => i.id)).toEqual(['h2', 'h1']);
    second.release();
    first.release();
    // Released: the next hold reads object.info again, and finds it broken.
    await expect(store.hold(key('h3'))).rejects.toMatchObject({ code: 'E_STORE' });
    writeFileSync(info, text);
    const third = await store.hold(key('h3'));
    // A drop forgets what was read: the dropped layer is missing at the next hold, held or not.
    expect(await store.drop(key('h1'))).toBe(true);
    await expect(store.hold(key('h2'))).rejects.toMatchObject({ code: 'E_STORE', reason: 'missing' });
    third.release();
    await store.close();
  });

  it('a stage on top of a held stack reads only its own object.info, and held layers keep the LRU stamp of their first hold', async () => {
    const root = await storeWithStack(['t1', 't2', 't3', 't4']);
    const store = await openStore(root);
    const below = await store.hold(key('t3'));
    const lock = (name: string) => join(root, 'objects', key(name), 'object.lock');
    const past = new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000); // whole seconds: mtimeMs is a float
    for (const name of ['t1', 't2', 't3', 't4']) utimesSync(lock(name), past, past);
    // Below t4 everything is held: unreadable info files there are never read again.
    for (const name of ['t1', 't2', 't3']) writeFileSync(join(root, 'objects', key(name), 'object.info'), 'not json');
    const top = await store.hold(key('t4'));
    expect(top.stack.map((info) => info.id)).toEqual(['t4', 't3', 't2', 't1']);
    expect(statSync(lock('t4')).mtimeMs).toBeGreaterThan(past.getTime() + 1000);
    for (const name of ['t1', 't2', 't3']) expect(statSync(lock(name)).mtimeMs).toBe(past.getTime());
    top.release();
    below.release();
    await store.close();
  });
});

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isStoreError, openStore, type PreparedLayer } from '../src/index.js';
import { key, scratchDir } from './helpers.js';

const scratch = scratchDir('import');

/** Commits one layer whose directory `many` saw 2,000 entries come and go (its size on ext4 stays grown); returns its dir and manifest. */
async function builtWithHistory(root: string) {
  const store = await openStore(root);
  const prepared = (await store.prepareLayer(key('h1'), null)) as PreparedLayer;
  const many = join(prepared.treePath, 'many');
  mkdirSync(many);
  for (let i = 0; i < 2000; i++) writeFileSync(join(many, `entry-with-a-long-name-${i}`), '');
  for (let i = 0; i < 2000; i++) rmSync(join(many, `entry-with-a-long-name-${i}`));
  writeFileSync(join(many, 'kept'), 'kept\n');
  await prepared.commit({ id: 'h1', plugins: [] });
  const layer = await store.layer(key('h1'));
  await store.close();
  return layer;
}

describe('importing an object built elsewhere', () => {
  it('accepts the same tree whose directories the file system sized differently, and verifies afterwards', async () => {
    const built = await builtWithHistory(scratch.fresh('a'));
    const grown = statSync(join(built.dir, 'many')).size;
    const target = await openStore(scratch.fresh('b'));
    const result = await target.importLayer(key('h1'), { id: 'h1', parent: null, lower: null, plugins: [], created: 0, manifestText: built.manifestText }, async (dir) => {
      execFileSync('cp', ['-a', `${built.dir}/.`, dir]);
    });
    expect(result.imported).toBe(true);
    result.hold.release();
    const fresh = statSync(join((await target.layer(key('h1'))).dir, 'many')).size;
    // The point of the test: a fresh copy of the directory is smaller than the one that saw the entries (ext4).
    if (grown === fresh) console.log(`this file system sizes directories by their entries (${grown} bytes both): the case cannot differ here`);
    expect((await target.verify()).map((r) => r.status)).toEqual(['ok']);
    await target.close();
  });

  it('refuses a tree that differs in anything else, naming what', async () => {
    const built = await builtWithHistory(scratch.fresh('c'));
    const target = await openStore(scratch.fresh('d'));
    const error = await target
      .importLayer(key('h1'), { id: 'h1', parent: null, lower: null, plugins: [], created: 0, manifestText: built.manifestText }, async (dir) => {
        execFileSync('cp', ['-a', `${built.dir}/.`, dir]);
        chmodSync(join(dir, 'many', 'kept'), 0o600);
      })
      .then(() => null, (e: unknown) => e);
    expect(isStoreError(error, 'damaged')).toBe(true);
    expect((error as Error).message).toMatch(/\/many\/kept: mode \d+ → 600/);
    expect(readFileSync(join(built.dir, 'many', 'kept'), 'utf8')).toBe('kept\n');
    await target.close();
  });

  it('takes file hashes the filler gives (files not named are read), and compares them with the recorded manifest', async () => {
    const built = await builtWithHistory(scratch.fresh('e'));
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    const copy = async (dir: string) => execFileSync('cp', ['-a', `${built.dir}/.`, dir]);
    // Right hash given: imported, and `store verify` (which reads every file) agrees.
    const good = await openStore(scratch.fresh('f'));
    const imported = await good.importLayer(key('h1'), { id: 'h1', parent: null, lower: null, plugins: [], created: 0, manifestText: built.manifestText }, async (dir) => {
      await copy(dir);
      return { hashes: new Map([['many/kept', sha('kept\n')]]) };
    });
    expect(imported.imported).toBe(true);
    imported.hold.release();
    expect((await good.verify()).map((r) => r.status)).toEqual(['ok']);
    await good.close();
    // A wrong hash given (the stream said other bytes than the build had): refused, naming the file.
    const bad = await openStore(scratch.fresh('g'));
    const error = await bad
      .importLayer(key('h1'), { id: 'h1', parent: null, lower: null, plugins: [], created: 0, manifestText: built.manifestText }, async (dir) => {
        await copy(dir);
        return { hashes: new Map([['many/kept', sha('other\n')]]) };
      })
      .then(() => null, (e: unknown) => e);
    expect(isStoreError(error, 'damaged')).toBe(true);
    expect((error as Error).message).toMatch(/many\/kept/);
    expect(await bad.has(key('h1'))).toBe(false);
    await bad.close();
  });
});

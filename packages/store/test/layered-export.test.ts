/**
 * The layer-wise export (src/layered-export.ts) gives exactly the tree the
 * export through the merged view gives, on a stack with whiteouts, opaque
 * dirs, a renamed dir (redirect), copy-ups of hard-linked files, new hard
 * links, xattrs, special files, a symlink replaced by a dir and a dir by a
 * file, and nanosecond times; and it hands over to the view when a dir's
 * xattrs changed above the bottom layer.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, linkSync, lstatSync, mkdirSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, type PreparedLayer, type Store } from '../src/index.js';
import { key, scratchDir } from './helpers.js';

const scratch = scratchDir('layered');

const sh = (command: string, args: string[], cwd?: string) => execFileSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
const touchNs = (path: string, when: string) => sh('touch', ['-h', '-d', when, path]);

/** Everything the export must carry, per entry (not atime; not a dir's st_size, which is the file system's history). */
function facts(root: string): string[] {
  const list = sh('find', [root, '-printf', '%P\\0']).toString('utf8').split('\0').filter((p, i) => p !== '' || i === 0);
  const firstOfInode = new Map<bigint, string>();
  const out: string[] = [];
  for (const path of list.sort()) {
    const full = join(root, path);
    const st = lstatSync(full, { bigint: true });
    const type = st.isDirectory() ? 'd' : st.isFile() ? 'f' : st.isSymbolicLink() ? 'l' : st.isCharacterDevice() ? 'c' : st.isFIFO() ? 'p' : st.isBlockDevice() ? 'b' : 's';
    let what = '';
    if (type === 'f') {
      what = `${st.size} ${createHash('sha256').update(readFileSync(full)).digest('hex')} nlink ${st.nlink}`;
      const first = firstOfInode.get(st.ino);
      if (first !== undefined) what += ` same inode as ${first}`;
      else firstOfInode.set(st.ino, path);
    } else if (type === 'l') what = readlinkSync(full);
    else if (type === 'c' || type === 'b') what = `rdev ${st.rdev}`;
    out.push(`${path || '.'} ${type} ${(st.mode & 0o7777n).toString(8)} ${st.uid}:${st.gid} mtime ${st.mtimeNs} ${what}`);
  }
  const xattrs = sh('getfattr', ['-R', '-h', '-d', '-m', '-', '-e', 'hex', '.'], root).toString();
  return [...out, ...xattrs.split('\n\n').filter((b) => b.trim() !== '').sort()];
}

async function layer(store: Store, name: string, parent: string | null, build: (tree: string) => void): Promise<void> {
  const prepared = (await store.prepareLayer(key(name), parent === null ? null : key(parent))) as PreparedLayer;
  build(prepared.treePath);
  await prepared.commit({ id: name, plugins: [] });
}

async function bothExports(store: Store, name: string) {
  const base = scratch.fresh('out');
  const routes: string[] = [];
  await store.exportTree(key(name), join(base, 'view'), { layerwise: false, onRoute: (r) => routes.push(r) });
  // Forced: the stacks here are small, and by default only a bottom layer of 32 MiB or more goes layer-wise.
  await store.exportTree(key(name), join(base, 'layers'), { layerwise: true, onRoute: (r) => routes.push(r) });
  return { routes, view: facts(join(base, 'view')), layers: facts(join(base, 'layers')) };
}

function bottom(t: string): void {
  for (const dir of ['etc', 'usr/lib', 'usr/share/doc/pkg', 'var/cache', 'opt/app', 'data', 'shared']) mkdirSync(join(t, dir), { recursive: true });
  writeFileSync(join(t, 'etc', 'passwd'), 'root:x:0:0::/root:/bin/sh\n');
  writeFileSync(join(t, 'etc', 'gone'), 'gone\n');
  writeFileSync(join(t, 'etc', 'kept'), 'kept\n');
  writeFileSync(join(t, 'etc', 'link-a'), 'linked\n');
  linkSync(join(t, 'etc', 'link-a'), join(t, 'etc', 'link-b'));
  linkSync(join(t, 'etc', 'link-a'), join(t, 'data', 'link-c'));
  symlinkSync('usr/lib', join(t, 'lib'));
  writeFileSync(join(t, 'usr', 'lib', 'libx.so'), 'elf');
  writeFileSync(join(t, 'usr', 'share', 'doc', 'pkg', 'README'), 'doc');
  writeFileSync(join(t, 'var', 'cache', 'old'), 'old');
  writeFileSync(join(t, 'opt', 'app', 'bin'), 'bin');
  writeFileSync(join(t, 'data', 'sparse'), '');
  truncateSync(join(t, 'data', 'sparse'), 2 ** 20);
  writeFileSync(join(t, 'data', 'setuid'), '#!/bin/sh\n');
  chownSync(join(t, 'data', 'setuid'), 1000, 1000);
  chmodSync(join(t, 'data', 'setuid'), 0o4755);
  chmodSync(join(t, 'shared'), 0o2775);
  sh('mknod', [join(t, 'data', 'null'), 'c', '1', '3']);
  sh('mkfifo', [join(t, 'data', 'fifo')]);
  sh('setfattr', ['-n', 'user.origin', '-v', 'bottom', join(t, 'etc', 'passwd')]);
  sh('setfattr', ['-n', 'trusted.test', '-v', 'kept', join(t, 'data', 'sparse')]);
  sh('setfattr', ['-n', 'user.dir', '-v', 'bottom', join(t, 'usr')]);
  touchNs(join(t, 'etc', 'kept'), '@1700000000.123456789');
  touchNs(join(t, 'lib'), '@1600000000.5');
}

/** The third layer of the main stack (l3 adds a dir xattr to it, l3b does not). */
function third(t: string): void {
  writeFileSync(join(t, 'etc', 'gone'), 'back\n'); // over a whiteout
  writeFileSync(join(t, 'etc', 'link-b'), 'changed too\n');
  rmSync(join(t, 'lib', 'x'));
  mkdirSync(join(t, 'deep', 'a'), { recursive: true });
  mkdirSync(join(t, 'deep', 'b'));
  writeFileSync(join(t, 'deep', 'a', 'f'), 'linked across dirs');
  linkSync(join(t, 'deep', 'a', 'f'), join(t, 'deep', 'b', 'g'));
  writeFileSync(join(t, 'opt', 'app2', 'bin2'), 'in the renamed dir');
  rmSync(join(t, 'newdir'), { recursive: true });
}

describe('layer-wise export', () => {
  it('gives the same tree as the export through the merged view', async () => {
    const store = await openStore(scratch.fresh('store'));
    try {
    await layer(store, 'l1', null, bottom);
    await layer(store, 'l2', 'l1', (t) => {
      rmSync(join(t, 'etc', 'gone')); // whiteout
      rmSync(join(t, 'var', 'cache'), { recursive: true }); // opaque dir
      mkdirSync(join(t, 'var', 'cache'));
      writeFileSync(join(t, 'var', 'cache', 'new'), 'new');
      renameSync(join(t, 'opt', 'app'), join(t, 'opt', 'app2')); // redirect
      writeFileSync(join(t, 'etc', 'link-a'), 'changed\n'); // copy-up of one name of three
      linkSync(join(t, 'etc', 'kept'), join(t, 'etc', 'kept2')); // a new link to a lower file
      chmodSync(join(t, 'etc'), 0o750);
      chownSync(join(t, 'etc', 'passwd'), 0, 42);
      sh('setfattr', ['-n', 'user.added', '-v', 'l2', join(t, 'usr', 'lib', 'libx.so')]);
      rmSync(join(t, 'lib')); // a symlink becomes a dir
      mkdirSync(join(t, 'lib'));
      writeFileSync(join(t, 'lib', 'x'), 'x');
      rmSync(join(t, 'usr', 'share', 'doc'), { recursive: true }); // a dir becomes a file
      writeFileSync(join(t, 'usr', 'share', 'doc'), 'now a file');
      mkdirSync(join(t, 'newdir'), { mode: 0o700 });
      rmSync(join(t, 'data', 'null'));
      sh('mknod', [join(t, 'data', 'null'), 'c', '1', '5']);
      touchNs(join(t, 'data'), '@1650000000.987654321');
    });
    await layer(store, 'l3', 'l2', (t) => {
      third(t);
      sh('setfattr', ['-n', 'user.x', '-v', '1', join(t, 'shared')]); // new xattr on a dir: handed to the view
    });
    await layer(store, 'l3b', 'l2', third);

    const main = await bothExports(store, 'l3b');
    expect(main.routes).toEqual(['view', 'layers']);
    expect(main.layers).toEqual(main.view);
    // The tree is what the stack says (the comparison is not of two empty trees).
    expect(main.view.join('\n')).toMatch(/^etc\/gone f .* 5 /m);
    expect(main.view.join('\n')).toMatch(/^deep\/b\/g f .* same inode as deep\/a\/f$/m);
    expect(main.view.join('\n')).toMatch(/^usr\/share\/doc f /m);
    expect(main.view.some((line) => line.startsWith('var/cache/old'))).toBe(false);
    expect(main.view.some((line) => line.startsWith('opt/app/'))).toBe(false);
    expect(main.view.join('\n')).not.toMatch(/overlay/);

    const small: string[] = [];
    await store.exportTree(key('l3b'), join(scratch.fresh('out'), 'default'), { onRoute: (r) => small.push(r) });
    expect(small).toEqual(['view']);

    const two = await bothExports(store, 'l2');
    expect(two.routes).toEqual(['view', 'layers']);
    expect(two.layers).toEqual(two.view);

    const xattrs = await bothExports(store, 'l3');
    expect(xattrs.routes).toEqual(['view', 'view']);
    expect(xattrs.layers).toEqual(xattrs.view);
    } finally {
      await store.close();
    }
  });

  it('hands a bottom layer holding overlay xattrs to the view', async () => {
    const store = await openStore(scratch.fresh('store'));
    try {
    await layer(store, 'o1', null, (t) => {
      mkdirSync(join(t, 'dir'));
      writeFileSync(join(t, 'dir', 'f'), 'f');
      sh('setfattr', ['-n', 'trusted.overlay.opaque', '-v', 'y', join(t, 'dir')]);
    });
    await layer(store, 'o2', 'o1', (t) => writeFileSync(join(t, 'g'), 'g'));
    const result = await bothExports(store, 'o2');
    expect(result.routes).toEqual(['view', 'view']);
    expect(result.layers).toEqual(result.view);
    } finally {
      await store.close();
    }
  });
});

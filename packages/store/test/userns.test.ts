// In a user namespace (rootless builds: osbuild as a normal user runs as
// root of one) the store mounts its overlays with userxattr: a layer's
// whiteouts and opaque directories work there, recorded in user.overlay.*
// xattrs. Run on the compiled store (pnpm build) in a fresh Node inside
// `unshare --user --map-root-user --mount`.
import { execFileSync, spawnSync } from 'node:child_process';
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { key, scratchDir } from './helpers.js';

const scratch = scratchDir('userns');
const DIST = new URL('../dist/index.js', import.meta.url).pathname;

const script = `
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
const { openStore } = await import(process.env.DIST);
const [root, k1, k2] = process.argv.slice(1);
const store = await openStore(root);
const one = await store.prepareLayer(k1, null);
mkdirSync(join(one.treePath, 'etc'));
writeFileSync(join(one.treePath, 'etc', 'gone'), 'x');
writeFileSync(join(one.treePath, 'etc', 'kept'), 'y');
mkdirSync(join(one.treePath, 'replaced'));
writeFileSync(join(one.treePath, 'replaced', 'old'), 'z');
await one.commit({ id: 'one', plugins: [] });
const two = await store.prepareLayer(k2, k1);
const options = readFileSync('/proc/self/mountinfo', 'utf8').split('\\n').find((l) => l.includes(two.treePath) && l.includes(' - overlay '));
rmSync(join(two.treePath, 'etc', 'gone'));
rmSync(join(two.treePath, 'replaced'), { recursive: true });
mkdirSync(join(two.treePath, 'replaced'));
writeFileSync(join(two.treePath, 'replaced', 'new'), 'w');
let rename = 'ok';
try { renameSync(join(two.treePath, 'etc'), join(two.treePath, 'etc2')); } catch (e) { rename = e.code; }
await two.commit({ id: 'two', plugins: [] });
const tree = await store.mountTree(k2);
const seen = { etc: readdirSync(join(tree.path, 'etc')), replaced: readdirSync(join(tree.path, 'replaced')) };
await tree.unmount();
await store.close();
console.log(JSON.stringify({ options, seen, rename }));
`;

const usable = process.getuid?.() === 0 && spawnSync('unshare', ['--user', '--map-root-user', '--mount', 'true']).status === 0;

describe.skipIf(!usable)('the store in a user namespace', () => {
  it('mounts overlays with userxattr; whiteouts and opaque directories hold', () => {
    const root = scratch.fresh('store');
    const out = execFileSync('unshare', ['--user', '--map-root-user', '--mount', process.execPath, '--input-type=module', '-e', script, root, key('u1'), key('u2')], {
      encoding: 'utf8',
      env: { ...process.env, DIST },
    });
    const result = JSON.parse(out) as { options: string; seen: { etc: string[]; replaced: string[] }; rename: string };
    expect(result.options).toContain('userxattr');
    expect(result.options).not.toContain('redirect_dir=on');
    expect(result.seen).toEqual({ etc: ['kept'], replaced: ['new'] });
    // Without redirect_dir the kernel refuses to rename a lower directory: callers copy (mv does).
    expect(result.rename).toBe('EXDEV');
    const layer = join(root, 'objects', key('u2'), 'layer');
    const whiteout = lstatSync(join(layer, 'etc', 'gone'));
    expect(whiteout.isCharacterDevice() && whiteout.rdev === 0).toBe(true);
    expect(execFileSync('getfattr', ['--only-values', '-n', 'user.overlay.opaque', join(layer, 'replaced')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })).toBe('y');
  });
});

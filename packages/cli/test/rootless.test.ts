// What a rootless build checks before it starts: the user's subordinate id
// ranges, and the stages that need the real root (devices, mounts) among
// the pipelines to build. The builds themselves, as a real unprivileged
// user, are in samples/test/rootless.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isOsbuildError, loadManifest, parsePyJson } from '@osbuild-ts/core';
import { checkRootlessStages } from '../src/rootless/needs-root.js';
import { requireSubordinateIds, subordinateRanges } from '../src/rootless/subids.js';

const dir = mkdtempSync(join(tmpdir(), 'osbuild-ts-rootless-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function caught(fn: () => unknown): { code: string; message: string; hint?: string; details: Record<string, unknown> } {
  try {
    fn();
  } catch (error) {
    if (isOsbuildError(error)) return { code: error.code, message: error.message, hint: error.hint, details: error.details };
    throw error;
  }
  throw new Error('no error');
}

describe('subordinate id ranges', () => {
  it('are matched by name or by uid, comments and other users skipped', () => {
    const text = '# ranges\nbob:100000:65536\nalice:165536:65536\n1001:300000:1000\nalice:400000:65536\n';
    expect(subordinateRanges(text, { name: 'alice', id: 1000 })).toEqual([
      { start: 165536, count: 65536 },
      { start: 400000, count: 65536 },
    ]);
    expect(subordinateRanges(text, { name: 'carol', id: 1001 })).toEqual([{ start: 300000, count: 1000 }]);
    expect(subordinateRanges(text, { name: 'dave', id: 1002 })).toEqual([]);
  });

  it('missing: the error names both files and the usermod command for this user', () => {
    const uid = join(dir, 'subuid');
    const gid = join(dir, 'subgid');
    writeFileSync(uid, 'someone-else:100000:65536\n');
    writeFileSync(gid, '');
    const error = caught(() => requireSubordinateIds({ uid, gid }));
    expect(error.code).toBe('E_HOST_UNSUPPORTED');
    expect(error.message).toContain(`${uid} and ${gid} give this user none`);
    expect(error.hint).toContain(`usermod --add-subuids 100000-165535 --add-subgids 100000-165535 ${userInfo().username}`);
  });

  it('only /etc/subgid missing: names that file alone', () => {
    const uid = join(dir, 'subuid-one');
    const gid = join(dir, 'subgid-none');
    writeFileSync(uid, `${userInfo().username}:100000:65536\n`);
    const error = caught(() => requireSubordinateIds({ uid, gid }));
    expect(error.message).toContain(`${gid} gives this user none`);
    expect(error.message).not.toContain(`${uid} and`);
  });

  it('too small a range is refused, a full one accepted', () => {
    const uid = join(dir, 'subuid-small');
    const gid = join(dir, 'subgid-full');
    writeFileSync(uid, `${userInfo().uid}:100000:1000\n`);
    writeFileSync(gid, `${userInfo().username}:100000:65536\n`);
    expect(caught(() => requireSubordinateIds({ uid, gid })).message).toContain(`${uid} gives 1000`);
    expect(requireSubordinateIds({ uid: gid, gid })).toEqual({ uids: { start: 100000, count: 65536 }, gids: { start: 100000, count: 65536 } });
  });
});

describe('stages that need the real root', () => {
  const manifest = loadManifest(parsePyJson(JSON.stringify({
    version: '2',
    pipelines: [
      { name: 'os', stages: [{ type: 'org.osbuild.mkdir', options: { paths: [{ path: '/etc' }] } }] },
      {
        name: 'image',
        stages: [
          { type: 'org.osbuild.truncate', options: { filename: 'disk.img', size: '1G' } },
          {
            type: 'org.osbuild.copy',
            inputs: { root: { type: 'org.osbuild.tree', origin: 'org.osbuild.pipeline', references: ['name:os'] } },
            devices: { disk: { type: 'org.osbuild.loopback', options: { filename: 'disk.img' } } },
            mounts: [{ name: 'root', type: 'org.osbuild.ext4', source: 'disk', target: '/' }],
            options: { paths: [{ from: 'input://root/', to: 'mount://root/' }] },
          },
        ],
      },
      { name: 'plain', stages: [{ type: 'io.github.osbuild-ts.disk-image', inputs: { tree: { type: 'org.osbuild.tree', origin: 'org.osbuild.pipeline', references: ['name:os'] } } }] },
    ],
  }), 'manifest.json'));

  it('are named, each device and mount with its manifest path, with the no-mount route as the way around', () => {
    const error = caught(() => checkRootlessStages(manifest, ['image']));
    expect(error.code).toBe('E_HOST_UNSUPPORTED');
    expect(error.message).toContain('pipeline image, stage 2 (org.osbuild.copy): device "disk" (org.osbuild.loopback) needs root');
    expect(error.message).toContain('pipeline image, stage 2 (org.osbuild.copy): mount "root" (org.osbuild.ext4) needs root');
    expect(error.hint).toContain('io.github.osbuild-ts.disk-image');
    expect(error.details.issues).toEqual([
      { path: ['pipelines', 1, 'stages', 1, 'devices', 'disk'], message: expect.stringContaining('needs root') },
      { path: ['pipelines', 1, 'stages', 1, 'mounts', 0], message: expect.stringContaining('needs root') },
    ]);
  });

  it('only in the pipelines the exports need (and all of them without exports)', () => {
    expect(() => checkRootlessStages(manifest, ['plain'])).not.toThrow();
    expect(() => checkRootlessStages(manifest, ['os'])).not.toThrow();
    expect(caught(() => checkRootlessStages(manifest, [])).code).toBe('E_HOST_UNSUPPORTED');
  });
});

describe('user namespace detection', () => {
  it('is true in a user namespace made by unshare', async () => {
    const { execFileSync } = await import('node:child_process');
    // The compiled module (pnpm build), in a fresh Node inside the namespace.
    const script = `import('${join(import.meta.dirname, '..', 'dist', 'rootless', 'namespace.js')}').then((m) => console.log(m.inUserNamespace()))`;
    const inside = execFileSync('unshare', ['--user', '--map-root-user', process.execPath, '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(inside.trim()).toBe('true');
  });
});

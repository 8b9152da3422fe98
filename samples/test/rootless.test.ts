// Rootless builds (issue 20). Root makes an unprivileged user with a range
// of subordinate ids and a project directory it owns; then, as that user:
// a 20-stage manifest builds (and builds again from the cache); the pinned
// samples/debian-minimal manifest builds through the no-mount route and
// the image boots to `login:` with SeaBIOS and OVMF; nothing in the user's
// store or output belongs to the host's root, while the image's
// /etc/shadow belongs to root inside the image (read with debugfs, no
// mount); the loop-device route stops before anything runs (exit 2); and
// `osbuild store remove` deletes the store, subordinate-id files included.
// One Debian build, two boots: the .debs come from the cache the other
// Debian sample tests share (copied, not linked: the user owns its store).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DEB_CACHE } from '@osbuild-ts/debian-pin/testing';
import { bootToLogin, ovmf } from '@osbuild-ts/image-kit/testing';
import { bootingSampleUnavailable } from './debian-sample.js';
import { REPO, run, tail } from './run.js';
import { copyMissing, createRootlessUser, ownedByRoot, rootlessUnavailable, userOsbuild, type RootlessUser } from './rootless-user.js';

const FILES = join('sources', 'org.osbuild.files');
const PIN = join(REPO, 'node_modules', '.bin', 'osbuild-debian-pin');
const SAMPLE = join(REPO, 'samples', 'debian-minimal');
const LINUX_FS = '0FC63DAF-8483-4772-8E79-3D69D8477DE4';

const unavailable = bootingSampleUnavailable(rootlessUnavailable());

/** 20 stages of five kinds; the tree they make is checked below. */
function twentyStages(): object {
  const stages: object[] = [{ type: 'org.osbuild.mkdir', options: { paths: [{ path: '/etc', mode: 0o755 }, { path: '/srv', mode: 0o755 }] } }];
  for (let i = 1; i <= 15; i++) stages.push({ type: 'org.osbuild.mkdir', options: { paths: [{ path: `/srv/d${i}`, mode: 0o750 }] } });
  stages.push({ type: 'org.osbuild.hostname', options: { hostname: 'rootless' } });
  stages.push({ type: 'org.osbuild.locale', options: { language: 'C.UTF-8' } });
  stages.push({ type: 'org.osbuild.noop', options: { note: 'one' } }, { type: 'org.osbuild.noop', options: { note: 'two' } });
  return { version: '2', pipelines: [{ name: 'tree', 'source-epoch': 1700000000, stages }] };
}

function stagesOf(output: string): { cached: boolean }[] {
  return (JSON.parse(output) as { 'osbuild-ts': { stages: { cached: boolean }[] } })['osbuild-ts'].stages;
}

/** The owner of /etc/shadow in the ext4 root partition of a raw disk, read with debugfs at the partition's offset. */
function shadowOwner(raw: string): { uid: number; gid: number; mode: string } {
  const table = JSON.parse(execFileSync('sfdisk', ['--json', raw], { encoding: 'utf8' })) as { partitiontable: { sectorsize?: number; partitions: { start: number; type: string }[] } };
  const root = table.partitiontable.partitions.find((p) => p.type.toUpperCase() === LINUX_FS);
  if (root === undefined) throw new Error(`no Linux file system partition in ${raw}`);
  const offset = root.start * (table.partitiontable.sectorsize ?? 512);
  const text = execFileSync('debugfs', ['-R', 'stat /etc/shadow', `${raw}?offset=${offset}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const owner = /User:\s+(\d+)\s+Group:\s+(\d+)/.exec(text);
  const mode = /Mode:\s+(\d+)/.exec(text);
  if (owner === null || mode === null) throw new Error(`debugfs found no /etc/shadow:\n${text}`);
  return { uid: Number(owner[1]), gid: Number(owner[2]), mode: mode[1]! };
}

describe.skipIf(unavailable !== null)(`rootless builds${unavailable ? ` (skipped: ${unavailable})` : ''}`, { tags: ['slow'] }, () => {
  let user: RootlessUser;
  let checkout: { path: string; release: () => void } | undefined;
  /** The repository's osbuild, as the user reaches it. */
  let osbuild = '';
  let store: string;
  let out: string;
  beforeAll(async () => {
    user = createRootlessUser();
    store = join(user.project, 'store');
    out = join(user.project, 'out');
    checkout = await userOsbuild(user);
    osbuild = checkout.path;
  });
  afterAll(() => {
    checkout?.release();
    user?.remove();
  });

  it('builds a 20-stage manifest as the user, then again from its cache', async () => {
    const manifest = join(user.project, 'twenty.json');
    writeFileSync(manifest, JSON.stringify(twentyStages()));
    user.own(manifest);
    const args = ['--store', store, '--json', '--export', 'tree', '--output-directory', join(out, 'twenty'), manifest];
    const first = await user.run(osbuild, args);
    expect(first.status, tail(first.output)).toBe(0);
    const stages = stagesOf(first.output);
    expect(stages).toHaveLength(20);
    expect(stages.some((s) => s.cached)).toBe(false);
    const tree = join(out, 'twenty', 'tree');
    expect(execFileSync('cat', [join(tree, 'etc', 'hostname')], { encoding: 'utf8' })).toBe('rootless\n');
    expect(existsSync(join(tree, 'srv', 'd15'))).toBe(true);
    const again = await user.run(osbuild, [...args.slice(0, -2), join(out, 'twenty-again'), manifest]);
    expect(again.status, tail(again.output)).toBe(0);
    expect(stagesOf(again.output).every((s) => s.cached)).toBe(true);
  });

  describe('samples/debian-minimal through the no-mount route', () => {
    let raw: string;
    beforeAll(async () => {
      // Pinned by root against the shared pin cache (no new index downloads); built by the user.
      const manifest = join(user.project, 'manifest.json');
      const pinned = await run(PIN, ['--template', join(SAMPLE, 'manifest.in.json'), '--output', manifest, `debian=${join(SAMPLE, 'debian.json')}`]);
      expect(pinned.status, tail(pinned.output)).toBe(0);
      copyMissing(TEST_DEB_CACHE, join(store, FILES));
      user.own(manifest);
      user.own(join(store, 'sources'));
      const built = await user.run(osbuild, ['--store', store, '--export', 'image', '--output-directory', out, manifest]);
      expect(built.status, tail(built.output)).toBe(0);
      // .debs this run had to fetch serve the next runs (copies, owned by root in root's cache).
      mkdirSync(TEST_DEB_CACHE, { recursive: true });
      copyMissing(join(store, FILES), TEST_DEB_CACHE);
      raw = join(user.project, 'disk.raw');
      execFileSync('qemu-img', ['convert', '-O', 'raw', join(out, 'image', 'disk.qcow2'), raw]);
    });

    it('boots to login: with SeaBIOS', async () => {
      const boot = await bootToLogin(join(out, 'image', 'disk.qcow2'), { timeoutMs: 300_000 });
      console.log(`rootless image, BIOS boot to login: ${boot.seconds.toFixed(1)} s`);
      expect(boot.ok, boot.serialLog.slice(-3000)).toBe(true);
      expect(boot.serialLog).toMatch(/debian-minimal login:/);
    });

    it.skipIf(ovmf() === null)('boots to login: with OVMF', async () => {
      const boot = await bootToLogin(join(out, 'image', 'disk.qcow2'), { uefi: true, timeoutMs: 300_000 });
      console.log(`rootless image, UEFI boot to login: ${boot.seconds.toFixed(1)} s`);
      expect(boot.ok, boot.serialLog.slice(-3000)).toBe(true);
      expect(boot.serialLog).toMatch(/debian-minimal login:/);
    });

    it("leaves nothing owned by the host's root in the user's store or output", () => {
      expect(ownedByRoot([store, out])).toEqual([]);
      // Trees did hold other owners: those are the user's subordinate ids.
      const others = execFileSync('find', [join(store, 'objects'), '-not', '-uid', String(user.uid), '-print', '-quit'], { encoding: 'utf8' });
      expect(others).not.toBe('');
    });

    it('made /etc/shadow owned by root inside the image', () => {
      const shadow = shadowOwner(raw);
      expect(shadow.uid).toBe(0);
      expect(shadow.mode).toBe('0640');
    });
  });

  it('stops the loop-device route before anything runs, exit 2, naming the stage and the no-mount route', async () => {
    const manifest = join(user.project, 'image-pipeline.json');
    const pinned = await run(PIN, ['--template', join(SAMPLE, 'image-pipeline.in.json'), '--output', manifest, `debian=${join(SAMPLE, 'debian.json')}`]);
    expect(pinned.status, tail(pinned.output)).toBe(0);
    user.own(manifest);
    const loopOut = join(user.project, 'out-loop');
    const r = await user.run(osbuild, ['--store', store, '--export', 'qcow2', '--output-directory', loopOut, manifest]);
    expect(r.status, r.output).toBe(2);
    expect(r.output).toContain('pipeline image, stage 2 (org.osbuild.sfdisk): device "device" (org.osbuild.loopback) needs root');
    expect(r.output).toContain('mount "root" (org.osbuild.ext4) needs root');
    expect(r.output).toContain('io.github.osbuild-ts.disk-image');
    expect(r.output).not.toContain('starting');
    expect(existsSync(loopOut)).toBe(false);
  });

  it('removes its store with osbuild store remove, subordinate-id files included', async () => {
    const r = await user.run(osbuild, ['store', 'remove', '--store', store]);
    expect(r.status, r.output).toBe(0);
    expect(existsSync(store)).toBe(false);
  });
});

// The README's main job, end to end: samples/debian-minimal/build pins the
// description against the host's apt mirror, builds the qcow2 with our
// osbuild, and the image boots to a login prompt under QEMU (TCG) with
// SeaBIOS and with OVMF. The same tree then goes through osbuild's v2 image
// pipeline (loop devices, mounts) and boots too. Last, the pinned manifest
// is built again from scratch inside a network namespace without
// interfaces: only the source cache is shared, every stage runs, and the
// image is bit-identical.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DEB_CACHE } from '@osbuild-ts/debian-pin/testing';
import { bootToLogin, ovmf } from '@osbuild-ts/image-kit/testing';
import { OSBUILD, REPO, run, tail } from './run.js';
import { bootingSampleUnavailable, linkMissing, sha256 } from './debian-sample.js';

const FILES = join('sources', 'org.osbuild.files');



const unavailable = bootingSampleUnavailable();

describe.skipIf(unavailable !== null)(`samples/debian-minimal${unavailable ? ` (skipped: ${unavailable})` : ''}`, { tags: ['slow'] }, () => {
  let work: string;
  let image: string;
  beforeAll(async () => {
    // Images are large (if sparse): scratch on disk, not a tmpfs /tmp.
    work = mkdtempSync('/var/tmp/osbuild-ts-sample-');
    const store = join(work, 'store');
    // .debs fetched by earlier runs on this machine are reused (they are
    // verified by checksum anyway); whatever is missing is downloaded by
    // the build's org.osbuild.curl source from the host's mirror.
    linkMissing(TEST_DEB_CACHE, join(store, FILES));
    const built = await run(join(REPO, 'samples', 'debian-minimal', 'build'), [], { OUTPUT: join(work, 'out'), STORE: store });
    expect(built.status, tail(built.output)).toBe(0);
    expect(built.output).toContain('qemu-system-x86_64');
    linkMissing(join(store, FILES), TEST_DEB_CACHE);
    image = join(work, 'out', 'image', 'disk.qcow2');
  });
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('boots to login: with SeaBIOS', async () => {
    const boot = await bootToLogin(image, { timeoutMs: 300_000 });
    console.log(`BIOS boot to login: ${boot.seconds.toFixed(1)} s`);
    expect(boot.ok, boot.serialLog.slice(-3000)).toBe(true);
    expect(boot.serialLog).toMatch(/debian-minimal login:/);
  });

  it.skipIf(ovmf() === null)('boots to login: with OVMF', async () => {
    const boot = await bootToLogin(image, { uefi: true, timeoutMs: 300_000 });
    console.log(`UEFI boot to login: ${boot.seconds.toFixed(1)} s`);
    expect(boot.ok, boot.serialLog.slice(-3000)).toBe(true);
    expect(boot.serialLog).toMatch(/debian-minimal login:/);
  });

  describe('through the v2 image pipeline (truncate, sfdisk, mkfs, copy on loop devices, grub2.inst, qemu)', () => {
    let qcow2: string;
    beforeAll(async () => {
      const built = await run(join(REPO, 'samples', 'debian-minimal', 'build'), ['image-pipeline.in.json'], { OUTPUT: join(work, 'out'), STORE: join(work, 'store') });
      expect(built.status, tail(built.output)).toBe(0);
      qcow2 = join(work, 'out', 'qcow2', 'disk.qcow2');
    });

    it('leaves no loop device or mount behind', () => {
      const loops = JSON.parse(execFileSync('losetup', ['--json', '--list'], { encoding: 'utf8' }) || '{"loopdevices": []}') as { loopdevices: { 'back-file': string | null }[] };
      expect(loops.loopdevices.filter((l) => l['back-file']?.includes(work))).toEqual([]);
      expect(execFileSync('cat', ['/proc/self/mountinfo'], { encoding: 'utf8' })).not.toContain(work);
    });

    it('boots to login: with SeaBIOS', async () => {
      const boot = await bootToLogin(qcow2, { timeoutMs: 300_000 });
      console.log(`image pipeline, BIOS boot to login: ${boot.seconds.toFixed(1)} s`);
      expect(boot.ok, boot.serialLog.slice(-3000)).toBe(true);
      expect(boot.serialLog).toMatch(/debian-minimal login:/);
    });

    it.skipIf(ovmf() === null)('boots to login: with OVMF', async () => {
      const boot = await bootToLogin(qcow2, { uefi: true, timeoutMs: 300_000 });
      console.log(`image pipeline, UEFI boot to login: ${boot.seconds.toFixed(1)} s`);
      expect(boot.ok, boot.serialLog.slice(-3000)).toBe(true);
      expect(boot.serialLog).toMatch(/debian-minimal login:/);
    });
  });

  it('builds again from the source cache with no network at all, bit for bit', async () => {
    const store = join(work, 'store-offline');
    linkMissing(join(work, 'store', FILES), join(store, FILES));
    const out = join(work, 'out-offline');
    const manifest = join(work, 'out', 'manifest.json');
    // unshare --net: a new network namespace with only a down loopback.
    const r = await run('unshare', ['--net', '--', OSBUILD, '--store', store, '--json', '--export', 'image', '--output-directory', out, manifest]);
    expect(r.status, tail(r.output)).toBe(0);
    const stages = (JSON.parse(r.output) as { 'osbuild-ts': { stages: { cached: boolean }[] } })['osbuild-ts'].stages;
    expect(stages.length).toBeGreaterThan(5);
    expect(stages.some((s) => s.cached)).toBe(false);
    expect(await sha256(join(out, 'image', 'disk.qcow2'))).toBe(await sha256(image));
  });
});

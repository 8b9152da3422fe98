// The README's main job, end to end: samples/debian-minimal/build pins the
// description against the host's apt mirror, builds the qcow2 with our
// osbuild, and the image boots to a login prompt under QEMU (TCG) with
// SeaBIOS and with OVMF. The same tree then goes through osbuild's v2 image
// pipeline (loop devices, mounts) and boots too. Booting is `osbuild boot
// --wait-for login:`, as users and CI do it. The SBOM of the build (--sbom,
// SPDX and CycloneDX, from the store's metadata) lists exactly what the
// tree's dpkg database lists, with the .deb checksums the manifest pinned.
// Last, the pinned manifest
// is built again from scratch inside a network namespace without
// interfaces: only the source cache is shared, every stage runs, and the
// image is bit-identical.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DEB_CACHE } from '@osbuild-ts/debian-pin/testing';
import { ovmf } from '@osbuild-ts/image-kit/testing';
import { OSBUILD, REPO, run, tail } from './run.js';
import { bootingSampleUnavailable, linkMissing, osbuildBoot, sha256 } from './debian-sample.js';
import { debSbomMatchesTree } from './sbom-check.js';

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
    expect(built.output).toMatch(/node_modules\/\.bin\/osbuild boot \S+disk\.qcow2/);
    linkMissing(join(store, FILES), TEST_DEB_CACHE);
    image = join(work, 'out', 'image', 'disk.qcow2');
  });
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('boots to login: with SeaBIOS (osbuild boot --firmware bios --wait-for)', async () => {
    const boot = await osbuildBoot('BIOS boot to login', image, 'debian-minimal login:', { firmware: 'bios', timeoutSeconds: 300 });
    expect(boot.ok, tail(boot.output, 60)).toBe(true);
  });

  it.skipIf(ovmf() === null)('boots to login: with OVMF (osbuild boot --wait-for: UEFI from the image\'s ESP)', async () => {
    const boot = await osbuildBoot('UEFI boot to login', image, 'debian-minimal login:', { timeoutSeconds: 300 });
    expect(boot.ok, tail(boot.output, 60)).toBe(true);
    expect(boot.output).toMatch(/osbuild boot: firmware: uefi \(from the image\)/);
  });

  it('--sbom (from the store: nothing is rebuilt) lists what dpkg lists in the tree, with the pinned .deb checksums', async () => {
    const manifest = join(work, 'out', 'manifest.json');
    const spdx = join(work, 'sbom.spdx.json');
    const cdx = join(work, 'sbom.cdx.json');
    const r = await run(OSBUILD, ['--store', join(work, 'store'), '--json', '--export', 'image', '--export', 'os', '--output-directory', join(work, 'out-sbom'), '--sbom', spdx, manifest]);
    expect(r.status, tail(r.output)).toBe(0);
    const c = await run(OSBUILD, ['--store', join(work, 'store'), '--export', 'image', '--output-directory', join(work, 'out-sbom'), '--sbom', cdx, '--sbom-format', 'cyclonedx', manifest]);
    expect(c.status, tail(c.output)).toBe(0);
    const problems = debSbomMatchesTree({
      manifest: JSON.parse(readFileSync(manifest, 'utf8')),
      tree: join(work, 'out-sbom', 'os'),
      spdx: JSON.parse(readFileSync(spdx, 'utf8')),
      cyclonedx: JSON.parse(readFileSync(cdx, 'utf8')),
    });
    expect(problems).toEqual([]);
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
      const boot = await osbuildBoot('image pipeline, BIOS boot to login', qcow2, 'debian-minimal login:', { firmware: 'bios', timeoutSeconds: 300 });
      expect(boot.ok, tail(boot.output, 60)).toBe(true);
    });

    it.skipIf(ovmf() === null)('boots to login: with OVMF', async () => {
      const boot = await osbuildBoot('image pipeline, UEFI boot to login', qcow2, 'debian-minimal login:', { firmware: 'uefi', timeoutSeconds: 300 });
      expect(boot.ok, tail(boot.output, 60)).toBe(true);
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

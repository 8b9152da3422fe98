// samples/debian-seed: the documents' bootable Debian example, from the
// manifest alone. The first build resolves org.osbuild.debian.debootstrap and
// org.osbuild.apt against the host's apt sources and writes the lock beside
// the manifest; the image boots to login: with SeaBIOS and OVMF. Then the
// same manifest is built again from an empty store (only the .debs shared),
// without network, --offline --locked: every stage runs and the image is
// bit-identical.
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DEB_CACHE } from '@osbuild-ts/debian-pin/testing';
import { ovmf } from '@osbuild-ts/image-kit/testing';
import { bootingSampleUnavailable, linkMissing, osbuildBoot, sha256 } from './debian-sample.js';
import { OSBUILD, REPO, run, tail } from './run.js';

const FILES = join('sources', 'org.osbuild.files');
const SAMPLE = join(REPO, 'samples', 'debian-seed');



const unavailable = bootingSampleUnavailable();

describe.skipIf(unavailable !== null)(`samples/debian-seed${unavailable ? ` (skipped: ${unavailable})` : ''}`, { tags: ['slow'] }, () => {
  let work: string;
  let manifest: string;
  let image: string;
  beforeAll(async () => {
    work = mkdtempSync('/var/tmp/osbuild-ts-seed-');
    // The lock is written beside the manifest: a copy, so the test leaves the repository alone.
    manifest = join(work, 'bootable.json');
    copyFileSync(join(SAMPLE, 'bootable.json'), manifest);
    const store = join(work, 'store');
    linkMissing(TEST_DEB_CACHE, join(store, FILES));
    const built = await run(OSBUILD, ['--store', store, '--export', 'image', '--output-directory', join(work, 'out'), manifest]);
    expect(built.status, tail(built.output)).toBe(0);
    linkMissing(join(store, FILES), TEST_DEB_CACHE);
    image = join(work, 'out', 'image', 'disk.qcow2');
  });
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('writes the lock beside the manifest: the base set and what apt adds, pinned by checksum', () => {
    const lock = JSON.parse(readFileSync(join(work, 'bootable.lock.json'), 'utf8')) as {
      stages: { type: string; inputs: { debs: { references: { id: string; options: { metadata: Record<string, string> } }[] } }; sources: { 'org.osbuild.curl': Record<string, { url: string }> } }[];
    };
    expect(lock.stages.map((s) => s.type)).toEqual(['org.osbuild.debian.debootstrap', 'org.osbuild.apt']);
    const names = (i: number) => lock.stages[i]!.inputs.debs.references.map((r) => r.options.metadata['deb.package']);
    expect(names(0)).toContain('dpkg');
    expect(names(1)).toEqual(expect.arrayContaining(['linux-image-amd64', 'grub-pc-bin', 'grub-efi-amd64-bin', 'udev']));
    expect(names(1)).not.toContain('dpkg');
    for (const stage of lock.stages) {
      for (const ref of stage.inputs.debs.references) expect(stage.sources['org.osbuild.curl'][ref.id]?.url).toMatch(/\.deb$/);
    }
  });

  it('keeps the object ids of the manifest as written (--inspect)', async () => {
    const withLock = await run(OSBUILD, ['--inspect', manifest]);
    const original = await run(OSBUILD, ['--inspect', join(SAMPLE, 'bootable.json')]);
    expect(withLock.status).toBe(0);
    expect(withLock.output).toBe(original.output);
  });

  it('boots to login: with SeaBIOS (osbuild boot --wait-for)', async () => {
    const boot = await osbuildBoot('BIOS boot to login', image, 'debian-seed login:', { firmware: 'bios', timeoutSeconds: 300 });
    expect(boot.ok, tail(boot.output, 60)).toBe(true);
  });

  it.skipIf(ovmf() === null)('boots to login: with OVMF (osbuild boot --wait-for)', async () => {
    const boot = await osbuildBoot('UEFI boot to login', image, 'debian-seed login:', { firmware: 'uefi', timeoutSeconds: 300 });
    expect(boot.ok, tail(boot.output, 60)).toBe(true);
  });

  it('--locked refuses a lock that no longer matches the manifest', async () => {
    const changed = join(work, 'changed.json');
    const doc = JSON.parse(readFileSync(manifest, 'utf8')) as { pipelines: { stages: { options: { packages?: string[] } }[] }[] };
    doc.pipelines[0]!.stages[1]!.options.packages!.push('less');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(changed, JSON.stringify(doc));
    copyFileSync(join(work, 'bootable.lock.json'), join(work, 'changed.lock.json'));
    const r = await run(OSBUILD, ['--store', join(work, 'store'), '--locked', '--export', 'image', '--output-directory', join(work, 'out-changed'), changed]);
    expect(r.status).toBe(1);
    expect(r.output).toMatch(/changed\.lock\.json cannot be used: pipeline build, stage 2 \(org\.osbuild\.apt\) changed since it was locked/);
  });

  it('builds again from an empty store with no network, --offline --locked, bit for bit', async () => {
    const store = join(work, 'store-offline');
    linkMissing(join(work, 'store', FILES), join(store, FILES));
    const out = join(work, 'out-offline');
    const r = await run('unshare', ['--net', '--', OSBUILD, '--offline', '--locked', '--store', store, '--json', '--export', 'image', '--output-directory', out, manifest]);
    expect(r.status, tail(r.output)).toBe(0);
    const stages = (JSON.parse(r.output) as { 'osbuild-ts': { stages: { cached: boolean }[] } })['osbuild-ts'].stages;
    expect(stages.length).toBeGreaterThan(5);
    expect(stages.some((s) => s.cached)).toBe(false);
    expect(await sha256(join(out, 'image', 'disk.qcow2'))).toBe(await sha256(image));
  });
});

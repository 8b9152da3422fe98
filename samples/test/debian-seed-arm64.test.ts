// samples/debian-seed/bootable-arm64.json: the same bootable example for
// arm64, built on this machine through binfmt_misc + qemu-user-static (which
// osbuild registers for the build and removes afterwards), grub from the
// arm64 tree, booted with qemu-system-aarch64 (TCG) and AAVMF to login:.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DEB_CACHE } from '@osbuild-ts/debian-pin/testing';
import { aavmf, bootToLogin } from '@osbuild-ts/image-kit/testing';
import { linkMissing } from './debian-sample.js';
import { OSBUILD, REPO, run, tail } from './run.js';

const FILES = join('sources', 'org.osbuild.files');


// Everything in an arm64 tree runs emulated. Measured on a 2-core machine
// at load ~30: debootstrap 400 s (x86_64: 89 s), then org.osbuild.apt spent
// ~36 min in the kernel's first initramfs and had not finished the second
// after 43 min. The 60-minute budget of the whole suite cannot carry that,
// and this test has not yet been seen passing. Opt in with OSBUILD_TS_ARM64=1.
const unavailable =
  process.env.OSBUILD_TS_ARM64 !== '1'
    ? 'slow (qemu-user): set OSBUILD_TS_ARM64=1'
    : process.getuid?.() !== 0
    ? 'needs root'
    : process.arch !== 'x64'
      ? 'builds arm64 on x86_64'
      : !existsSync('/usr/bin/qemu-system-aarch64')
        ? 'needs qemu-system-arm'
        : !existsSync('/usr/bin/qemu-aarch64-static')
          ? 'needs qemu-user-static'
          : aavmf() === null
            ? 'needs qemu-efi-aarch64 (AAVMF)'
            : null;

describe.skipIf(unavailable !== null)(`samples/debian-seed for arm64${unavailable ? ` (skipped: ${unavailable})` : ''}`, { tags: ['slow'] }, () => {
  let work: string;
  let image: string;
  let output: string;
  beforeAll(async () => {
    work = mkdtempSync('/var/tmp/osbuild-ts-seed-arm64-');
    const manifest = join(work, 'bootable-arm64.json');
    copyFileSync(join(REPO, 'samples', 'debian-seed', 'bootable-arm64.json'), manifest);
    const store = join(work, 'store');
    linkMissing(TEST_DEB_CACHE, join(store, FILES));
    const started = Date.now();
    const built = await run(OSBUILD, ['--store', store, '--export', 'image', '--output-directory', join(work, 'out'), manifest]);
    console.log(`arm64 build under qemu-user (lock, sources, every stage): ${((Date.now() - started) / 1000).toFixed(0)} s`);
    output = built.output;
    expect(built.status, tail(built.output)).toBe(0);
    linkMissing(join(store, FILES), TEST_DEB_CACHE);
    image = join(work, 'out', 'image', 'disk.qcow2');
  }, 3_600_000);
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('locks arm64 packages and registers qemu-user only for the build', () => {
    const lock = JSON.parse(readFileSync(join(work, 'bootable-arm64.lock.json'), 'utf8')) as { stages: { architectures?: string[] }[] };
    expect(lock.stages.map((s) => s.architectures)).toEqual([['arm64'], ['arm64']]);
    expect(output).toMatch(/arm64: (registered \/usr\/bin\/qemu-aarch64-static as binfmt_misc entry osbuild-ts-\d+-aarch64 \(F\)|using the existing binfmt_misc entry)/);
    const ours = /binfmt_misc entry (osbuild-ts-\d+-aarch64)/.exec(output)?.[1];
    if (ours) expect(existsSync(join('/proc/sys/fs/binfmt_misc', ours))).toBe(false);
  });

  it('boots to login: with qemu-system-aarch64 (TCG) and AAVMF', async () => {
    const boot = await bootToLogin(image, { arch: 'aarch64', timeoutMs: 900_000 });
    console.log(`arm64 UEFI boot to login: ${boot.seconds.toFixed(1)} s`);
    expect(boot.ok, boot.serialLog.slice(-3000)).toBe(true);
    expect(boot.serialLog).toMatch(/debian-seed-arm64 login:/);
  }, 1_000_000);
});

// samples/debian-seed/bootable-arm64.json: the same bootable example for
// arm64, built on this machine through binfmt_misc + qemu-user-static (which
// osbuild registers for the build and removes afterwards), grub from the
// arm64 tree, booted with qemu-system-aarch64 (TCG) and AAVMF to login:.
//
// Everything in the arm64 tree runs emulated, so the test logs where the
// time goes: each stage's seconds (from the moment osbuild names it), the
// initramfs (org.osbuild.apt makes it once, with the build root's helpers:
// see packages/stage-apt/README.md), and the boot.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DEB_CACHE } from '@osbuild-ts/debian-pin/testing';
import { aavmf, bootToLogin } from '@osbuild-ts/image-kit/testing';
import { skipReason } from '@osbuild-ts/plugin-kit/testing';
import { linkMissing } from './debian-sample.js';
import { OSBUILD, REPO, tail } from './run.js';

const FILES = join('sources', 'org.osbuild.files');

const unavailable = skipReason(
  process.getuid?.() !== 0
    ? 'needs root'
    : process.arch !== 'x64'
      ? 'builds arm64 on x86_64'
      : !existsSync('/usr/bin/qemu-system-aarch64')
        ? 'needs qemu-system-arm'
        : !existsSync('/usr/bin/qemu-aarch64-static')
          ? 'needs qemu-user-static'
          : aavmf() === null
            ? 'needs qemu-efi-aarch64 (AAVMF)'
            : null,
);

interface TimedRun {
  status: number | null;
  output: string;
  /** Seconds from the start of the run to each stage's header, in order. */
  stages: { name: string; at: number }[];
  seconds: number;
}

/** Runs osbuild, noting when it names each stage it runs ("org.osbuild.apt: <id> {"). */
function runTimed(args: readonly string[]): Promise<TimedRun> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const stages: { name: string; at: number }[] = [];
    const child = spawn(OSBUILD, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let partial = '';
    const take = (chunk: Buffer) => {
      output += chunk.toString();
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^([a-z][\w.-]+): [0-9a-f]{64} \{$/.exec(line);
        if (m) stages.push({ name: m[1]!, at: (Date.now() - started) / 1000 });
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, output, stages, seconds: (Date.now() - started) / 1000 }));
  });
}

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
    const built = await runTimed(['--store', store, '--export', 'image', '--output-directory', join(work, 'out'), manifest]);
    const phases = built.stages.map((s, i) => `  ${s.name}: ${((built.stages[i + 1]?.at ?? built.seconds) - s.at).toFixed(0)} s`);
    const initramfs = /initramfs for \S+ made in [\d.]+ s/.exec(built.output)?.[0];
    console.log(
      [
        `arm64 build (lock, sources, every stage): ${built.seconds.toFixed(0)} s`,
        `  before the first stage (resolving, lock, downloads): ${(built.stages[0]?.at ?? built.seconds).toFixed(0)} s`,
        ...phases,
        ...(initramfs ? [`  within org.osbuild.apt: ${initramfs}`] : []),
      ].join('\n'),
    );
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

  it('makes the initramfs once, after the install, with the build root helping', () => {
    expect(output.match(/update-initramfs: Generating/g)).toHaveLength(1);
    expect(output).toMatch(/org\.osbuild\.apt: build-root dash .*modinfo ran mkinitramfs's helpers; into the tree: boot\/initrd\.img-/);
  });

  it('boots to login: with qemu-system-aarch64 (TCG) and AAVMF', async () => {
    const boot = await bootToLogin(image, { arch: 'aarch64', timeoutMs: 900_000 });
    console.log(`arm64 UEFI boot to login: ${boot.seconds.toFixed(1)} s`);
    expect(boot.ok, boot.serialLog.slice(-3000)).toBe(true);
    expect(boot.serialLog).toMatch(/debian-seed-arm64 login:/);
  }, 1_000_000);
});

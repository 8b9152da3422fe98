// What the Debian sample tests share: the .deb cache they reuse, image
// digests, and the one reason a booting sample cannot run on this machine.
import { createHash } from 'node:crypto';
import { copyFileSync, createReadStream, existsSync, linkSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { skipReason } from '@osbuild-ts/plugin-kit/testing';

/** Puts every file of `from` into `to` that `to` lacks: a hard link, or a copy across file systems. */
export function linkMissing(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  if (!existsSync(from)) return;
  const present = new Set(readdirSync(to));
  for (const name of readdirSync(from)) {
    if (!name.startsWith('sha256:') || present.has(name)) continue;
    try {
      linkSync(join(from, name), join(to, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      copyFileSync(join(from, name), join(to, name));
    }
  }
}

export function sha256(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file).on('data', (chunk) => hash.update(chunk)).on('error', reject).on('end', () => resolve(hash.digest('hex')));
  });
}

/**
 * Why a sample that builds and boots an x86_64 Debian image cannot run on
 * this machine (plus what else the sample names), or null. On CI that is a
 * failure, not a skip (skipReason).
 */
export function bootingSampleUnavailable(also: string | null = null): string | null {
  const reason =
    process.getuid?.() !== 0
      ? 'needs root'
      : process.arch !== 'x64'
        ? 'boots x86_64 images'
        : !existsSync('/usr/bin/qemu-system-x86_64')
          ? 'needs qemu-system-x86'
          : also;
  return skipReason(reason);
}

export interface OsbuildBoot {
  ok: boolean;
  /** Seconds from QEMU's start to the pattern, as osbuild boot reports it (null when it was not seen). */
  seconds: number | null;
  output: string;
}

/**
 * Boots an image the way users and CI do: `osbuild boot IMAGE --wait-for
 * PATTERN`, and prints the timing line for the test log. Always `--accel
 * tcg`: the machines tests run on have a /dev/kvm that hangs guests (the
 * KVM probe refuses this one too, but a test must not hang on a probe's
 * mistake).
 */
export async function osbuildBoot(label: string, image: string, pattern: string, options: { firmware?: 'bios' | 'uefi'; timeoutSeconds: number }): Promise<OsbuildBoot> {
  const { OSBUILD, run } = await import('./run.js');
  const r = await run(OSBUILD, ['boot', '--accel', 'tcg', ...(options.firmware ? ['--firmware', options.firmware] : []), '--wait-for', pattern, '--timeout', String(options.timeoutSeconds), image]);
  const seen = /osbuild boot: .* seen after ([\d.]+) s \(([^)]*)\)/.exec(r.output);
  const seconds = seen ? Number(seen[1]) : null;
  console.log(`${label}: ${seconds === null ? 'not booted' : `${seconds.toFixed(1)} s`} (osbuild boot${seen ? `: ${seen[2]}` : ''})`);
  return { ok: r.status === 0, seconds, output: r.output };
}

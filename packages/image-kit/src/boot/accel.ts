import { spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { arch as hostArch, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GuestArch } from './inspect.js';

export type Accel = 'kvm' | 'tcg';

export interface AccelChoice {
  accel: Accel;
  /** Why: shown by `osbuild boot` so a slow TCG boot is not a mystery. */
  reason: string;
}

const HOST: Record<string, GuestArch> = { x64: 'x86_64', arm64: 'aarch64' };

/** How long the probe guest may take: SeaBIOS reaches "No bootable device" in well under a second under KVM. */
const PROBE_MS = 10_000;

/**
 * Whether KVM really runs guests here, probed once per host boot (the
 * answer is kept under the temporary directory, keyed by the kernel's
 * boot id). The probe boots SeaBIOS without disks under `-accel kvm -cpu
 * host` (as a KVM boot runs) and wants it to reach "No bootable device."
 * in time, with QEMU neither failing nor warning that the host lacks CPU
 * features: a KVM that hides basic features or refuses the host's MSRs (a
 * nested or emulated hypervisor) is where guests hang or QEMU aborts, so
 * it is not used. Only for x86_64 guests on x86_64
 * hosts; anything else runs under TCG.
 */
export async function chooseAccel(guest: GuestArch, requested?: Accel): Promise<AccelChoice> {
  if (requested === 'tcg') return { accel: 'tcg', reason: 'asked for' };
  if (requested === 'kvm') return { accel: 'kvm', reason: 'asked for' };
  if (HOST[hostArch()] !== guest) return { accel: 'tcg', reason: `a ${guest} guest on a ${HOST[hostArch()] ?? hostArch()} host` };
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
  } catch {
    return { accel: 'tcg', reason: '/dev/kvm is missing or not usable by this user' };
  }
  if (guest !== 'x86_64') return { accel: 'tcg', reason: 'KVM is probed for x86_64 guests only' };
  const cache = probeCachePath();
  if (cache) {
    try {
      const kept = JSON.parse(readFileSync(cache, 'utf8')) as AccelChoice;
      if (kept.accel === 'kvm' || kept.accel === 'tcg') return kept;
    } catch {
      // Not probed yet on this boot.
    }
  }
  const choice = await probeKvm();
  if (cache) {
    try {
      mkdirSync(join(cache, '..'), { recursive: true });
      writeFileSync(cache, JSON.stringify(choice));
    } catch {
      // A cache we cannot write only costs the next boot another probe.
    }
  }
  return choice;
}

function probeCachePath(): string | null {
  try {
    const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    return join(tmpdir(), 'osbuild-ts-kvm-probe', `${bootId}-${process.getuid?.() ?? 'any'}.json`);
  } catch {
    return null;
  }
}

/** Boots SeaBIOS under KVM with nothing to boot; its debug console says how far it got. */
export function probeKvm(timeoutMs = PROBE_MS): Promise<AccelChoice> {
  return new Promise((resolve) => {
    // The CPU model of a real KVM boot (qemuArguments): a KVM that cannot give the guest the host's CPU fails here, not in the boot.
    const args = ['-accel', 'kvm', '-cpu', 'host', '-nodefaults', '-display', 'none', '-m', '64', '-no-reboot', '-serial', 'none', '-monitor', 'none', '-chardev', 'stdio,id=probe', '-device', 'isa-debugcon,iobase=0x402,chardev=probe'];
    const qemu = spawn('qemu-system-x86_64', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let settled = false;
    const finish = (choice: AccelChoice) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (qemu.exitCode === null && qemu.signalCode === null) qemu.kill('SIGKILL');
      resolve(choice);
    };
    const timer = setTimeout(() => finish({ accel: 'tcg', reason: `KVM probe: SeaBIOS did not finish within ${timeoutMs / 1000} s under KVM (guests hang here)` }), timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const missing = /host doesn't support requested feature: ([^\n]+)/.exec(out);
      if (missing) finish({ accel: 'tcg', reason: `KVM probe: the host's KVM lacks CPU features (${missing[1]!.trim()}): guests hang under such a KVM` });
      else if (/No bootable device/.test(out)) setTimeout(() => finish({ accel: 'kvm', reason: 'KVM probe: a guest ran' }), 200);
    };
    qemu.stdout.on('data', onData);
    qemu.stderr.on('data', onData);
    qemu.on('error', (error) => finish({ accel: 'tcg', reason: `KVM probe: ${error.message}` }));
    qemu.on('exit', () => setImmediate(() => finish({ accel: 'tcg', reason: `KVM probe: QEMU stopped before the firmware finished: ${out.trim().split('\n').filter((l) => l.trim() !== '').slice(-1)[0] ?? 'no output'}` })));
  });
}

import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Accel } from './accel.js';
import type { Firmware, GuestArch } from './inspect.js';

/** OVMF's code and an empty variable store, newest layout first (Debian's ovmf package). */
const OVMF = [
  { code: '/usr/share/OVMF/OVMF_CODE_4M.fd', vars: '/usr/share/OVMF/OVMF_VARS_4M.fd' },
  { code: '/usr/share/OVMF/OVMF_CODE.fd', vars: '/usr/share/OVMF/OVMF_VARS.fd' },
];

export function ovmf(): { code: string; vars: string } | null {
  return OVMF.find((f) => existsSync(f.code) && existsSync(f.vars)) ?? null;
}

/** AAVMF (Debian's qemu-efi-aarch64): UEFI for qemu-system-aarch64's virt machine. */
export function aavmf(): { code: string; vars: string } | null {
  const f = { code: '/usr/share/AAVMF/AAVMF_CODE.fd', vars: '/usr/share/AAVMF/AAVMF_VARS.fd' };
  return existsSync(f.code) && existsSync(f.vars) ? f : null;
}

export interface QemuSpec {
  image: string;
  format: string;
  media: 'disk' | 'cdrom';
  arch: GuestArch;
  firmware: Firmware;
  accel: Accel;
  /** Memory in MiB. */
  memory: number;
  /** Write changes to the image (no `-snapshot`). */
  persist: boolean;
  /** Host port forwarded to the guest's port 22 (user networking). */
  sshPort?: number;
  /** A copy of the firmware's variable store, written by the firmware (UEFI only). */
  varsFile?: string;
  /** Quit on reboot rather than boot again (tests). */
  noReboot?: boolean;
  /** The console on stdio as a plain character device (tests, --wait-for): QEMU's own keys (Ctrl-a x) only with `mux`. */
  console: 'mux' | 'plain';
}

/** The QEMU program for a guest architecture, and the Debian package that has it. */
export function qemuSystem(arch: GuestArch): { command: string; package: string } {
  return arch === 'aarch64' ? { command: 'qemu-system-aarch64', package: 'qemu-system-arm' } : { command: 'qemu-system-x86_64', package: 'qemu-system-x86' };
}

/** The firmware files of a spec: null for SeaBIOS (QEMU's default). */
export function firmwareFiles(arch: GuestArch, firmware: Firmware): { code: string; vars: string } | null {
  if (arch === 'aarch64') {
    const f = aavmf();
    if (!f) throw new Error('an aarch64 guest boots with AAVMF (Debian package qemu-efi-aarch64), not found in /usr/share/AAVMF');
    return f;
  }
  if (firmware === 'bios') return null;
  const f = ovmf();
  if (!f) throw new Error('UEFI boot needs OVMF (Debian package ovmf), not found in /usr/share/OVMF');
  return f;
}

/** QEMU's arguments for a spec: what `osbuild boot` runs, and what it prints with --print. */
export function qemuArguments(spec: QemuSpec): string[] {
  const aarch64 = spec.arch === 'aarch64';
  const uefi = aarch64 || spec.firmware === 'uefi';
  const args = [
    ...(aarch64 ? ['-machine', 'virt', '-cpu', spec.accel === 'kvm' ? 'host' : 'cortex-a57'] : ['-machine', uefi ? 'q35' : 'pc', ...(spec.accel === 'kvm' ? ['-cpu', 'host'] : [])]),
    '-accel', spec.accel,
    '-m', String(spec.memory),
    '-nographic',
    '-nodefaults',
    ...(spec.console === 'mux' ? ['-serial', 'mon:stdio'] : ['-serial', 'stdio', '-monitor', 'none']),
    ...(spec.noReboot ? ['-no-reboot'] : []),
    ...(spec.persist ? [] : ['-snapshot']),
    '-drive', spec.media === 'cdrom' ? `file=${spec.image},format=${spec.format},media=cdrom,readonly=on` : `file=${spec.image},format=${spec.format},if=virtio`,
  ];
  const files = firmwareFiles(spec.arch, spec.firmware);
  if (files) args.push('-drive', `if=pflash,format=raw,unit=0,readonly=on,file=${files.code}`, '-drive', `if=pflash,format=raw,unit=1,file=${spec.varsFile ?? files.vars}`);
  if (spec.sshPort !== undefined) args.push('-netdev', `user,id=net0,hostfwd=tcp:127.0.0.1:${spec.sshPort}-:22`, '-device', 'virtio-net-pci,netdev=net0');
  return args;
}

/** What ends a boot early: nothing will come after these. */
export const BOOT_FAILED = /No bootable device|Kernel panic - not syncing|grub rescue> |Shell> |BdsDxe: No bootable option/;

export interface RunOptions {
  /** Resolve once the console matches (then QEMU is stopped). Without it, run until QEMU exits. */
  waitFor?: RegExp;
  /** Give up after this long (only with waitFor). */
  timeoutMs?: number;
  /** Everything the guest prints, as it comes. */
  onConsole?: (text: string) => void;
  /** Attach this process's stdin to the guest's console (interactive use). */
  interactive?: boolean;
  /** Stop early when the console shows a failure that nothing follows (BOOT_FAILED). Default: with waitFor. */
  stopOnFailure?: boolean;
}

export interface RunResult {
  /** `matched`: waitFor was seen; `exited`: QEMU ended; `timeout`; `failed`: the console shows a dead end (BOOT_FAILED). */
  outcome: 'matched' | 'exited' | 'timeout' | 'failed';
  /** QEMU's exit status when it exited by itself. */
  status: number | null;
  /** The signal that ended QEMU when it was not us (an abort, say). */
  signal: NodeJS.Signals | null;
  seconds: number;
  console: string;
}

/**
 * Runs QEMU for a spec: the firmware's variable store is a private copy
 * (unless persisting a UEFI image, where it sits beside the image), the
 * console goes to onConsole, and QEMU is always stopped before this returns.
 */
export async function runQemu(spec: QemuSpec, options: RunOptions = {}): Promise<RunResult> {
  const scratch = mkdtempSync(join(tmpdir(), 'osbuild-boot-'));
  const files = firmwareFiles(spec.arch, spec.firmware);
  let varsFile = spec.varsFile;
  if (files && varsFile === undefined) {
    varsFile = join(scratch, 'VARS.fd');
    copyFileSync(files.vars, varsFile);
  } else if (files && varsFile !== undefined && !existsSync(varsFile)) {
    copyFileSync(files.vars, varsFile);
  }
  const system = qemuSystem(spec.arch);
  const args = qemuArguments({ ...spec, varsFile });
  const started = Date.now();
  const qemu = spawn(system.command, args, { stdio: [options.interactive ? 'inherit' : 'pipe', 'pipe', 'pipe'] });
  let text = '';
  const stopOnFailure = options.stopOnFailure ?? options.waitFor !== undefined;
  try {
    const { outcome, status, signal } = await new Promise<{ outcome: RunResult['outcome']; status: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      const timer = options.waitFor && options.timeoutMs !== undefined ? setTimeout(() => resolve({ outcome: 'timeout', status: null, signal: null }), options.timeoutMs) : null;
      const done = (value: { outcome: RunResult['outcome']; status: number | null; signal?: NodeJS.Signals | null }) => {
        if (timer) clearTimeout(timer);
        resolve({ signal: null, ...value });
      };
      const onData = (chunk: Buffer) => {
        const s = chunk.toString('utf8');
        text += s;
        options.onConsole?.(s);
        if (options.waitFor?.test(text)) done({ outcome: 'matched', status: null });
        else if (stopOnFailure && BOOT_FAILED.test(text)) done({ outcome: 'failed', status: null });
      };
      qemu.stdout!.on('data', onData);
      qemu.stderr!.on('data', onData);
      qemu.on('error', (error) => {
        if (timer) clearTimeout(timer);
        reject(new Error(`${system.command}: ${error.message} (Debian package ${system.package})`));
      });
      qemu.on('exit', (code, killedBy) => done({ outcome: options.waitFor?.test(text) ? 'matched' : 'exited', status: code, signal: killedBy }));
    });
    return { outcome, status, signal, seconds: (Date.now() - started) / 1000, console: text };
  } finally {
    if (qemu.exitCode === null && qemu.signalCode === null) {
      const exited = new Promise((resolve) => qemu.once('exit', resolve));
      qemu.kill('SIGKILL');
      await exited;
    }
    rmSync(scratch, { recursive: true, force: true });
  }
}

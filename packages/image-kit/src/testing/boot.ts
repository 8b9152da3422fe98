import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BootOptions {
  /** Boot with OVMF (UEFI, q35) rather than SeaBIOS (pc). */
  uefi?: boolean;
  /** Give up after this long. Default 300 s. */
  timeoutMs?: number;
  /** What to wait for on the serial console. Default `login:`. */
  expect?: RegExp;
  /** Image format for QEMU; by default what `qemu-img info` says. */
  format?: string;
  /** Memory in MiB. Default 1024. */
  memory?: number;
  /**
   * The guest's architecture. `aarch64` boots with qemu-system-aarch64
   * (`virt` machine, TCG) and AAVMF, always UEFI; the console is ttyAMA0.
   * Default `x86_64`.
   */
  arch?: 'x86_64' | 'aarch64';
  /**
   * `cdrom` attaches the image as a CD-ROM (IDE on pc, AHCI on q35), so
   * the firmware boots it through El Torito, as from a disc. Default
   * `disk` (a virtio disk).
   */
  media?: 'disk' | 'cdrom';
}

export interface BootResult {
  ok: boolean;
  /** Seconds from starting QEMU to the prompt (or to giving up). */
  seconds: number;
  serialLog: string;
}

/** OVMF's code and an empty variable store, newest layout first (Debian's ovmf package). */
const OVMF = [
  { code: '/usr/share/OVMF/OVMF_CODE_4M.fd', vars: '/usr/share/OVMF/OVMF_VARS_4M.fd' },
  { code: '/usr/share/OVMF/OVMF_CODE.fd', vars: '/usr/share/OVMF/OVMF_VARS.fd' },
];

/** What ends a boot early: nothing will come after these. */
const FAILED = /No bootable device|Kernel panic - not syncing|grub rescue> |Shell> |BdsDxe: No bootable option/;

function imageFormat(image: string): string {
  const info = JSON.parse(execFileSync('qemu-img', ['info', '--output=json', image], { encoding: 'utf8' })) as { format: string };
  return info.format;
}

export function ovmf(): { code: string; vars: string } | null {
  return OVMF.find((f) => existsSync(f.code) && existsSync(f.vars)) ?? null;
}

/** AAVMF (Debian's qemu-efi-aarch64): UEFI for qemu-system-aarch64's virt machine. */
export function aavmf(): { code: string; vars: string } | null {
  const f = { code: '/usr/share/AAVMF/AAVMF_CODE.fd', vars: '/usr/share/AAVMF/AAVMF_VARS.fd' };
  return existsSync(f.code) && existsSync(f.vars) ? f : null;
}

/**
 * Boots a disk image under QEMU with TCG (never KVM), the serial console on
 * a pipe, and waits for `login:` (a getty on ttyS0: kernel option
 * `console=ttyS0` with systemd). The image is opened with `-snapshot`, so it
 * is not changed. QEMU is killed afterwards, whatever happened.
 */
export async function bootToLogin(image: string, options: BootOptions = {}): Promise<BootResult> {
  const timeoutMs = options.timeoutMs ?? 300_000;
  const expect = options.expect ?? /login:/;
  const format = options.format ?? imageFormat(image);
  const scratch = mkdtempSync(join(tmpdir(), 'boot-'));
  const aarch64 = options.arch === 'aarch64';
  const args = [
    ...(aarch64 ? ['-machine', 'virt', '-cpu', 'cortex-a57'] : ['-machine', options.uefi ? 'q35' : 'pc']),
    '-accel', 'tcg',
    '-m', String(options.memory ?? 1024),
    '-nographic',
    '-nodefaults',
    '-serial', 'stdio',
    '-monitor', 'none',
    '-no-reboot',
    '-snapshot',
    '-drive', options.media === 'cdrom' ? `file=${image},format=${format},media=cdrom,readonly=on` : `file=${image},format=${format},if=virtio`,
  ];
  if (aarch64) {
    const firmware = aavmf();
    if (!firmware) throw new Error('aarch64 boot needs AAVMF (Debian package qemu-efi-aarch64) in /usr/share/AAVMF');
    const vars = join(scratch, 'AAVMF_VARS.fd');
    copyFileSync(firmware.vars, vars);
    args.push('-drive', `if=pflash,format=raw,unit=0,readonly=on,file=${firmware.code}`, '-drive', `if=pflash,format=raw,unit=1,file=${vars}`);
  } else if (options.uefi) {
    const firmware = ovmf();
    if (!firmware) throw new Error('UEFI boot needs OVMF (Debian package ovmf) in /usr/share/OVMF');
    // The variable store is written by the firmware: each boot gets its own copy.
    const vars = join(scratch, 'OVMF_VARS.fd');
    copyFileSync(firmware.vars, vars);
    args.push('-drive', `if=pflash,format=raw,unit=0,readonly=on,file=${firmware.code}`, '-drive', `if=pflash,format=raw,unit=1,file=${vars}`);
  }
  const started = Date.now();
  const system = aarch64 ? 'qemu-system-aarch64' : 'qemu-system-x86_64';
  const qemu = spawn(system, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let serialLog = '';
  try {
    const ok = await new Promise<boolean>((resolve, reject) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      const onData = (chunk: Buffer) => {
        serialLog += chunk.toString('utf8');
        if (expect.test(serialLog)) {
          clearTimeout(timer);
          resolve(true);
        } else if (FAILED.test(serialLog)) {
          clearTimeout(timer);
          resolve(false);
        }
      };
      qemu.stdout.on('data', onData);
      qemu.stderr.on('data', onData);
      qemu.on('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`${system}: ${error.message} (Debian package ${aarch64 ? 'qemu-system-arm' : 'qemu-system-x86'})`));
      });
      qemu.on('exit', () => {
        clearTimeout(timer);
        resolve(expect.test(serialLog));
      });
    });
    return { ok, seconds: (Date.now() - started) / 1000, serialLog };
  } finally {
    if (qemu.exitCode === null && qemu.signalCode === null) {
      const exited = new Promise((resolve) => qemu.once('exit', resolve));
      qemu.kill('SIGKILL');
      await exited;
    }
    rmSync(scratch, { recursive: true, force: true });
  }
}

import { chooseAccel, type Accel } from './accel.js';
import { inspectImage, type Firmware, type GuestArch, type ImageFacts } from './inspect.js';
import { runQemu, type QemuSpec, type RunResult } from './qemu.js';

export { chooseAccel, probeKvm } from './accel.js';
export type { Accel, AccelChoice } from './accel.js';
export { elToritoPlatforms, imageFormat, inspectImage } from './inspect.js';
export type { Firmware, GuestArch, ImageFacts } from './inspect.js';
export { BOOT_FAILED, aavmf, firmwareFiles, ovmf, qemuArguments, qemuSystem, runQemu } from './qemu.js';
export type { QemuSpec, RunOptions, RunResult } from './qemu.js';

export interface BootImageOptions {
  firmware?: Firmware;
  arch?: GuestArch;
  accel?: Accel;
  /** `disk` or `cdrom`; default: cdrom for an ISO 9660 image. */
  media?: 'disk' | 'cdrom';
  /** Default: what `qemu-img info` says. */
  format?: string;
  memory?: number;
  persist?: boolean;
  sshPort?: number;
  /** The UEFI variable store to use (made from the firmware's template when missing); default: a fresh copy per boot. */
  varsFile?: string;
  waitFor?: RegExp;
  timeoutMs?: number;
  onConsole?: (text: string) => void;
  interactive?: boolean;
  /** Told what was decided before QEMU starts (firmware, arch, accel and why). */
  onPlan?: (plan: BootPlan) => void;
}

export interface BootPlan {
  spec: QemuSpec;
  facts: ImageFacts;
  /** One line each: firmware, arch and accelerator with the reason for each. */
  notes: string[];
}

/** Decides how to boot an image: its facts, then the options over them, then the accelerator. */
export async function planBoot(image: string, options: BootImageOptions = {}): Promise<BootPlan> {
  const facts = inspectImage(image);
  const arch = options.arch ?? facts.arch ?? hostGuestArch();
  const firmware: Firmware = arch === 'aarch64' ? 'uefi' : (options.firmware ?? facts.firmware);
  const accel = await chooseAccel(arch, options.accel);
  const spec: QemuSpec = {
    image,
    format: options.format ?? facts.format,
    media: options.media ?? facts.media,
    arch,
    firmware,
    accel: accel.accel,
    memory: options.memory ?? 1024,
    persist: options.persist ?? false,
    ...(options.sshPort !== undefined ? { sshPort: options.sshPort } : {}),
    ...(options.varsFile !== undefined ? { varsFile: options.varsFile } : {}),
    noReboot: options.waitFor !== undefined,
    console: options.interactive ? 'mux' : 'plain',
  };
  const notes = [
    `image: ${spec.format}, ${spec.media}; ${facts.evidence.join('; ')}`,
    `firmware: ${firmware} (${options.firmware ? 'asked for' : arch === 'aarch64' ? 'aarch64 boots with AAVMF' : 'from the image'})`,
    `arch: ${arch} (${options.arch ? 'asked for' : facts.arch ? 'from the image' : 'the image does not say: the host\'s'})`,
    `accelerator: ${accel.accel} (${accel.reason})`,
  ];
  return { spec, facts, notes };
}

function hostGuestArch(): GuestArch {
  return process.arch === 'arm64' ? 'aarch64' : 'x86_64';
}

/** Plans and runs a boot (see planBoot and runQemu). */
export async function bootImage(image: string, options: BootImageOptions = {}): Promise<RunResult & { plan: BootPlan }> {
  const plan = await planBoot(image, options);
  options.onPlan?.(plan);
  const result = await runQemu(plan.spec, {
    ...(options.waitFor ? { waitFor: options.waitFor } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.onConsole ? { onConsole: options.onConsole } : {}),
    ...(options.interactive ? { interactive: true } : {}),
  });
  return { ...result, plan };
}

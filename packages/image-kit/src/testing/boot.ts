import { runQemu } from '../boot/qemu.js';
import { imageFormat } from '../boot/inspect.js';

export { aavmf, ovmf } from '../boot/qemu.js';

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
  /** The guest's architecture: `aarch64` boots qemu-system-aarch64's virt machine with AAVMF. Default `x86_64`. */
  arch?: 'x86_64' | 'aarch64';
  /** `cdrom` attaches the image as a CD-ROM, booted through El Torito. Default `disk` (virtio). */
  media?: 'disk' | 'cdrom';
}

export interface BootResult {
  ok: boolean;
  /** Seconds from starting QEMU to the prompt (or to giving up). */
  seconds: number;
  serialLog: string;
}

/**
 * Boots an image under QEMU with TCG (never KVM: it hangs guests on the
 * machines tests run on), `-snapshot`, the serial console on a pipe, and
 * waits for `login:`. A thin wrapper over the library `osbuild boot` uses
 * (`@osbuild-ts/image-kit` runQemu); QEMU is always stopped afterwards.
 */
export async function bootToLogin(image: string, options: BootOptions = {}): Promise<BootResult> {
  const arch = options.arch ?? 'x86_64';
  const result = await runQemu(
    {
      image,
      format: options.format ?? imageFormat(image),
      media: options.media ?? 'disk',
      arch,
      firmware: arch === 'aarch64' || options.uefi ? 'uefi' : 'bios',
      accel: 'tcg',
      memory: options.memory ?? 1024,
      persist: false,
      noReboot: true,
      console: 'plain',
    },
    { waitFor: options.expect ?? /login:/, timeoutMs: options.timeoutMs ?? 300_000 },
  );
  return { ok: result.outcome === 'matched', seconds: result.seconds, serialLog: result.console };
}

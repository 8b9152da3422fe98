/** upstream's architectures (`X64`, `IA32`, `AA64`…) and what each needs. */
export interface EfiArchitecture {
  /** Lower case, as in shim's file names: `x64`. */
  arch: string;
  /** Files copied from `/boot/efi/EFI/<vendor>` of the build root to `EFI/BOOT`, as upstream copies them. */
  shimFiles: [from: string, to: string][];
  /** shim's file name in the build root (`shimx64.efi`) and the loader name firmware looks for (`BOOTX64.EFI`). */
  shim: string;
  loader: string;
  /** grub's EFI platform, for a loader made with grub-mkimage where there is no shim. */
  platform: string | null;
}

const PLATFORMS: Readonly<Record<string, string>> = {
  x64: 'x86_64-efi',
  ia32: 'i386-efi',
  aa64: 'arm64-efi',
  arm: 'arm-efi',
  riscv64: 'riscv64-efi',
  loongarch64: 'loongarch64-efi',
};

export function efiArchitecture(name: string): EfiArchitecture {
  const arch = name.toLowerCase();
  return {
    arch,
    shim: `shim${arch}.efi`,
    loader: `BOOT${arch}.EFI`.toUpperCase(),
    shimFiles: [
      [`shim${arch}.efi`, `BOOT${arch}.EFI`.toUpperCase()],
      [`mm${arch}.efi`, `mm${arch}.efi`],
      [`gcd${arch}.efi`, `grub${arch}.efi`],
    ],
    platform: PLATFORMS[arch] ?? null,
  };
}

/**
 * Built into a grub-mkimage loader besides image-kit's usual set: what the
 * ISO's grub.cfg loads (`insmod`), which has no module directory to load
 * from, and iso9660 to find the ISO by its label.
 */
export const ISO_LOADER_MODULES: readonly string[] = ['iso9660', 'efi_gop', 'efi_uga', 'video_bochs', 'video_cirrus', 'all_video', 'gzio', 'part_gpt', 'ext2', 'search_label'];

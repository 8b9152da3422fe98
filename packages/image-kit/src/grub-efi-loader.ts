import { existsSync, mkdirSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { arch } from 'node:process';
import { runTool } from '@osbuild-ts/plugin-kit';

/** The removable-media loader name (`EFI/BOOT/<name>`) firmware looks for, per grub EFI platform. */
export const EFI_LOADER_NAMES: Readonly<Record<string, string>> = {
  'x86_64-efi': 'BOOTX64.EFI',
  'i386-efi': 'BOOTIA32.EFI',
  'arm64-efi': 'BOOTAA64.EFI',
  'arm-efi': 'BOOTARM.EFI',
  'riscv64-efi': 'BOOTRISCV64.EFI',
  'loongarch64-efi': 'BOOTLOONGARCH64.EFI',
};

/** The grub EFI platform of each Node architecture. */
const MACHINE_PLATFORMS: Readonly<Record<string, string>> = {
  x64: 'x86_64-efi',
  ia32: 'i386-efi',
  arm64: 'arm64-efi',
  arm: 'arm-efi',
  riscv64: 'riscv64-efi',
  loong64: 'loongarch64-efi',
};

/** This machine's grub EFI platform, or null where grub has none. */
export function efiPlatformForMachine(machine: string = arch): string | null {
  return MACHINE_PLATFORMS[machine] ?? null;
}

/**
 * Built into the loader, so that it needs nothing from the ESP but its
 * configuration (the ESP holds no module directory). Those the build root
 * lacks are left out.
 */
export const EFI_LOADER_MODULES: readonly string[] = [
  'part_gpt', 'part_msdos', 'fat', 'ext2', 'xfs', 'btrfs', 'normal', 'boot', 'linux', 'configfile', 'search',
  'search_fs_uuid', 'search_fs_file', 'search_label', 'echo', 'test', 'ls', 'cat', 'gzio', 'xzio', 'zstd', 'loadenv',
  'all_video', 'font', 'gfxterm', 'serial', 'terminal', 'terminfo', 'reboot', 'halt', 'chain', 'minicmd', 'sleep',
  'true', 'regexp', 'blscfg', 'increment',
];

export interface EfiLoaderBuild {
  /** grub-mkimage (see findGrubMkimage). */
  mkimage: string;
  platform: string;
  /** grub's prefix: `/EFI/<vendor>` reads grub.cfg from there on the device the loader came from. */
  prefix: string;
  /** An early configuration built in (grub-mkimage --config). */
  config?: string;
  output: string;
  /** Modules to build in besides EFI_LOADER_MODULES. */
  modules?: readonly string[];
  /** Modules directory; default `/usr/lib/grub/<platform>`. */
  directory?: string;
  /** The loader's mtime (seconds), which mcopy keeps on the ESP. */
  mtime?: number | null;
}

/** Debian's and Fedora's package with each EFI platform's modules. */
const MODULE_PACKAGES: Readonly<Record<string, string>> = {
  'x86_64-efi': 'grub-efi-amd64-bin on Debian, grub2-efi-x64-modules on Fedora',
  'i386-efi': 'grub-efi-ia32-bin on Debian, grub2-efi-ia32-modules on Fedora',
  'arm64-efi': 'grub-efi-arm64-bin on Debian, grub2-efi-aa64-modules on Fedora',
};

/** The build root's module directory for an EFI platform; an error naming the package when it is missing. */
export function efiModulesDirectory(platform: string): string {
  const directory = `/usr/lib/grub/${platform}`;
  if (!existsSync(directory)) throw new Error(`${directory} is not in the build root (${MODULE_PACKAGES[platform] ?? `the package with grub's ${platform} modules`})`);
  return directory;
}

/**
 * Makes a standalone grub EFI loader with grub-mkimage from the build root:
 * every module it may need built in, reading its grub.cfg at `prefix`.
 * The output's directory is made once the build root is known to have
 * what it takes. Returns the modules built in.
 */
export function buildEfiLoader(build: EfiLoaderBuild): string[] {
  const directory = build.directory ?? efiModulesDirectory(build.platform);
  const wanted = [...new Set([...EFI_LOADER_MODULES, ...(build.modules ?? [])])];
  const missing = (build.modules ?? []).filter((m) => !existsSync(join(directory, `${m}.mod`)));
  if (missing.length > 0) throw new Error(`${directory} has no module ${missing.join(', ')}`);
  const modules = wanted.filter((m) => existsSync(join(directory, `${m}.mod`)));
  const args = ['--format', build.platform, '--directory', directory, '--prefix', build.prefix];
  if (build.config) args.push('--config', build.config);
  mkdirSync(dirname(build.output), { recursive: true });
  runTool(build.mkimage, [...args, '--output', build.output, ...modules]);
  if (build.mtime !== undefined && build.mtime !== null) utimesSync(build.output, build.mtime, build.mtime);
  return modules;
}

/** A file system as grub and the kernel find it: by UUID or by label. */
export type FsSpec = { uuid: string; label?: undefined } | { label: string; uuid?: undefined };

/** The stage's options, as the schema admits them (upstream's names). */
export interface Grub2Options {
  compat_version?: 1 | 2;
  rootfs?: { uuid?: string; label?: string };
  bootfs?: { uuid?: string; label?: string };
  root_fs_uuid?: string;
  boot_fs_uuid?: string;
  kernel_opts?: string;
  legacy?: boolean | string;
  uefi?: { vendor: string; efi_src_dir?: string; install?: boolean; unified?: boolean };
  saved_entry?: string;
  write_defaults?: boolean;
  write_cmdline?: boolean;
  ignition?: boolean;
  greenboot?: boolean;
  config?: GrubSettings;
}

export interface GrubSettings {
  default?: string;
  disable_recovery?: boolean;
  disable_submenu?: boolean;
  distributor?: string;
  terminal?: string[];
  terminal_input?: string[];
  terminal_output?: string[];
  timeout?: number;
  timeout_style?: 'hidden' | 'menu' | 'countdown';
  serial?: string;
}

/** The options with upstream's defaults and aliases resolved. */
export interface Grub2Plan {
  /** Version 2 blanks template variables that version 1 leaves in grub.cfg verbatim. */
  compatVersion: number;
  rootfs: FsSpec;
  bootfs: FsSpec | null;
  kernelOpts: string;
  /** The BIOS (or other non-EFI) grub platform, e.g. `i386-pc`; null without legacy boot. */
  legacy: string | null;
  uefi: { vendor: string; efiSrcDir: string; install: boolean; unified: boolean } | null;
  savedEntry: string | null;
  writeDefaults: boolean;
  writeCmdline: boolean;
  ignition: boolean;
  greenboot: boolean;
  settings: GrubSettings;
}

/**
 * Resolves the aliases upstream accepts (`root_fs_uuid` for `rootfs`,
 * `boot_fs_uuid` for `bootfs`, `legacy: true` for `i386-pc`) and fills in
 * its defaults.
 */
export function planFromOptions(options: Grub2Options): Grub2Plan {
  const rootfs = fsSpec(options.rootfs) ?? (options.root_fs_uuid ? { uuid: options.root_fs_uuid } : null);
  if (!rootfs) throw new Error('one of "rootfs" or "root_fs_uuid" is required: the file system holding /');
  const bootfs = fsSpec(options.bootfs) ?? (options.boot_fs_uuid ? { uuid: options.boot_fs_uuid } : null);
  const legacy = options.legacy === true ? 'i386-pc' : typeof options.legacy === 'string' && options.legacy !== '' ? options.legacy : null;
  const uefi = options.uefi
    ? {
        vendor: options.uefi.vendor,
        efiSrcDir: options.uefi.efi_src_dir ?? '/boot/efi/EFI',
        install: options.uefi.install ?? false,
        unified: options.uefi.unified ?? false,
      }
    : null;
  return {
    compatVersion: options.compat_version ?? 1,
    rootfs,
    bootfs,
    kernelOpts: options.kernel_opts ?? '',
    legacy,
    uefi,
    savedEntry: options.saved_entry ? options.saved_entry : null,
    writeDefaults: options.write_defaults ?? true,
    writeCmdline: options.write_cmdline ?? true,
    ignition: options.ignition ?? false,
    greenboot: options.greenboot ?? false,
    settings: options.config ?? {},
  };
}

// Upstream takes the first of uuid, label that is set and non-empty.
function fsSpec(spec: { uuid?: string; label?: string } | undefined): FsSpec | null {
  if (!spec) return null;
  if (spec.uuid) return { uuid: spec.uuid };
  if (spec.label) return { label: spec.label };
  throw new Error('a file system needs a non-empty "uuid" or "label"');
}

/** `UUID=…` or `LABEL=…`, as on the kernel command line. */
export function kernelRootSpec(fs: FsSpec): string {
  return fs.uuid !== undefined ? `UUID=${fs.uuid}` : `LABEL=${fs.label}`;
}

/** grub's `search` arguments that find the file system. */
export function grubSearchArgs(fs: FsSpec): string {
  return fs.uuid !== undefined ? `--fs-uuid ${fs.uuid}` : `--label ${fs.label}`;
}

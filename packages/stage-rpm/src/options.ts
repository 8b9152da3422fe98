/** The stage's options, as upstream's schemas (v1 and v2) define them. */
export interface RpmOptions {
  /** v1 only: osbuild turns these into the `packages` input; the stage reads the input. */
  packages?: unknown[];
  gpgkeys?: string[];
  'gpgkeys.fromtree'?: string[];
  rpmkeys?: { bin_path?: string; ignore_import_failures?: boolean };
  dbpath?: string;
  disable_dracut?: boolean;
  exclude?: { docs?: boolean };
  install_langs?: string[];
  nodeps?: boolean;
  ignorearch?: boolean;
  ostree_booted?: boolean;
  generic_env?: Record<string, string>;
  kernel_install_env?: { boot_root?: string; conf_root?: string; plugins?: string; machine_id?: string };
}

const KERNEL_INSTALL_ENV: Record<string, string> = {
  boot_root: 'BOOT_ROOT',
  conf_root: 'KERNEL_INSTALL_CONF_ROOT',
  plugins: 'KERNEL_INSTALL_PLUGINS',
  machine_id: 'MACHINE_ID',
};

/** The environment rpm's scriptlets get on top of the stage's: `generic_env` and `kernel_install_env`, which may not overlap. */
export function scriptletEnvironment(options: RpmOptions): Record<string, string> {
  const kernel: Record<string, string> = {};
  for (const [key, variable] of Object.entries(KERNEL_INSTALL_ENV)) {
    const value = options.kernel_install_env?.[key as keyof NonNullable<RpmOptions['kernel_install_env']>];
    if (value) kernel[variable] = value;
  }
  const generic = options.generic_env ?? {};
  const both = Object.keys(generic)
    .filter((name) => name in kernel)
    .sort();
  if (both.length > 0) {
    throw new Error(`options: environment variable(s) set in both generic_env and kernel_install_env: ${both.join(', ')}`);
  }
  return { ...generic, ...kernel };
}

/** rpm's arguments for the install transaction, from the options (order as upstream's). */
export function installArguments(options: RpmOptions): string[] {
  const args: string[] = [];
  if (options.exclude?.docs) args.push('--excludedocs');
  if (options.nodeps) args.push('--nodeps');
  if (options.install_langs && options.install_langs.length > 0) args.push('--define', `%_install_langs ${options.install_langs.join(':')}`);
  if (options.ignorearch) args.push('--ignorearch');
  return args;
}

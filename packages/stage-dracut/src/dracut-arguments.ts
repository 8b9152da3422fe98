/** The options of org.osbuild.dracut, as upstream's schema has them. */
export interface DracutOptions {
  kernel: string[];
  compress?: string;
  modules?: string[];
  add_modules?: string[];
  omit_modules?: string[];
  drivers?: string[];
  add_drivers?: string[];
  omit_drivers?: string[];
  force_drivers?: string[];
  filesystems?: string[];
  include?: Record<string, string>[];
  install?: string[];
  remove?: string[];
  early_microcode?: boolean;
  reproducible?: boolean;
  initoverlayfs?: boolean;
  extra?: string[];
}

const yesNo = (name: string, value: boolean): string => `--${value ? '' : 'no-'}${name}`;

/**
 * dracut's arguments after `--no-hostonly --kver KVER`, in upstream's order:
 * lists of modules and drivers go as one space-separated argument, each
 * include as `--include SRC DST`, each install and remove on its own, and
 * `extra` last, as given.
 */
export function dracutArguments(options: DracutOptions): string[] {
  const args = ['--force', '-v', '--show-modules'];
  args.push(yesNo('early-microcode', options.early_microcode ?? false), yesNo('reproducible', options.reproducible ?? true));
  if (options.compress) args.push(`--compress=${options.compress}`);
  const joined: [keyof DracutOptions, string][] = [
    ['modules', '--modules'],
    ['add_modules', '--add'],
    ['omit_modules', '--omit'],
    ['drivers', '--drivers'],
    ['add_drivers', '--add-drivers'],
    ['omit_drivers', '--omit-drivers'],
    ['force_drivers', '--force-drivers'],
    ['filesystems', '--filesystems'],
  ];
  for (const [option, flag] of joined) {
    const list = options[option] as string[] | undefined;
    if (list && list.length > 0) args.push(flag, list.join(' '));
  }
  for (const entry of options.include ?? []) {
    for (const [source, target] of Object.entries(entry)) args.push('--include', source, String(target));
  }
  for (const path of options.remove ?? []) args.push('--remove', path);
  for (const path of options.install ?? []) args.push('--install', path);
  args.push(...(options.extra ?? []));
  return args;
}

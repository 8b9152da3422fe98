import type { Description, Variant } from '@osbuild-ts/debian-pin';
import type { RootfsOptions } from '@osbuild-ts/stage-debian-rootfs/rootfs';

export interface DebootstrapOptions {
  suite: string;
  mirror?: string;
  variant?: 'minbase' | 'buildd' | 'required' | 'important' | 'standard' | 'essential';
  arch?: string;
  components?: string[];
  keyring?: string;
  trusted?: boolean;
  extra_packages?: string[];
  exclude?: string[];
  install_recommends?: boolean;
  apt_config?: Record<string, string>;
}

/** debootstrap's default variant installs Priority required and important. */
export const DEFAULT_VARIANT = 'important';

/** The package set to lock, as an osbuild-debian-pin description. */
export function description(options: DebootstrapOptions): Description {
  const variant = options.variant ?? DEFAULT_VARIANT;
  const packages = [...(options.extra_packages ?? []), ...(variant === 'buildd' ? ['build-essential'] : [])];
  return {
    suite: options.suite,
    variant: (variant === 'buildd' ? 'minbase' : variant) as Variant,
    ...(packages.length > 0 ? { packages } : {}),
    ...(options.arch ? { architecture: options.arch } : {}),
    ...(options.mirror ? { mirror: options.mirror } : {}),
    ...(options.components ? { components: options.components } : {}),
    ...(options.keyring ? { keyring: options.keyring } : {}),
    ...(options.trusted ? { trusted: true } : {}),
    ...(options.exclude?.length ? { exclude: options.exclude } : {}),
    ...(options.install_recommends ? { recommends: true } : {}),
  };
}

/** How the rootfs machinery builds it: every locked package, with mmdebstrap. */
export function rootfsOptions(options: DebootstrapOptions): RootfsOptions {
  const variant = options.variant ?? DEFAULT_VARIANT;
  return {
    suite: options.suite,
    variant: variant === 'buildd' ? 'minbase' : variant,
    ...(options.arch ? { architecture: options.arch } : {}),
    ...(options.apt_config ? { aptConfig: options.apt_config } : {}),
  };
}

import type { LocalRepo } from '@osbuild-ts/debian-pin/local-repo';

export interface RootfsOptions {
  suite: string;
  variant?: 'essential' | 'minbase' | 'required' | 'important' | 'standard' | 'custom';
  packages?: string[];
  architecture?: string;
  /** apt configuration items (`Name` → value), as mmdebstrap's `--aptopt` (not in this stage's schema; `org.osbuild.debian.debootstrap` sets it). */
  aptConfig?: Record<string, string>;
}

/**
 * The mmdebstrap command line for the options and a local repository made
 * from the input. Without `packages`, every package of the input is
 * included: the tree then holds exactly the pinned set, whatever priorities
 * the .debs' own control files claim.
 */
export function mmdebstrapArguments(options: RootfsOptions, repo: LocalRepo, architecture: string, tree: string): string[] {
  const available = new Set(repo.packages.map((p) => p.name));
  const missing = (options.packages ?? []).filter((name) => !available.has(name));
  if (missing.length > 0) {
    throw new Error(`not in the input: ${missing.join(', ')} (pin them into the input with osbuild-debian-pin)`);
  }
  const include = options.packages ?? [...available].sort();
  return [
    // The stage runs as root with CAP_SYS_ADMIN in its own mount namespace:
    // root mode mounts /proc, /sys and /dev into the tree itself.
    '--mode=root',
    `--variant=${options.variant ?? 'minbase'}`,
    `--architectures=${architecture}`,
    ...(include.length > 0 ? [`--include=${include.join(',')}`] : []),
    ...Object.entries(options.aptConfig ?? {}).map(([name, value]) => `--aptopt=${name} ${JSON.stringify(value)};`),
    // The repository is local and trusted=yes: there is no keyring to find.
    '--skip=check/signed-by',
    options.suite,
    tree,
    repo.sourcesLine,
  ];
}

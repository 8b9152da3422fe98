import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface AptConfigSpec {
  tree: string;
  /** Scratch directory for lists and caches (not in the tree). */
  work: string;
  sourcesLine: string;
  architecture: string;
  /** Default false, as mmdebstrap. */
  installRecommends?: boolean;
  /** Further apt configuration items (`Name` → value), written last. */
  extra?: Record<string, string>;
}

/**
 * An apt configuration that works on the tree from outside, like
 * mmdebstrap's: the tree's dpkg database, configuration and archives
 * directory, but our own sources (the local repository) and lists, and dpkg
 * run chrooted into the tree. Returns the file for APT_CONFIG.
 */
export function writeAptConfig({ tree, work, sourcesLine, architecture, installRecommends = false, extra = {} }: AptConfigSpec): string {
  for (const dir of ['lists/partial', 'cache', 'sources.list.d']) mkdirSync(join(work, dir), { recursive: true });
  mkdirSync(join(tree, 'var/cache/apt/archives/partial'), { recursive: true });
  writeFileSync(join(work, 'sources.list'), `${sourcesLine}\n`);
  const q = (s: string) => JSON.stringify(s);
  const lines = [
    `Dir ${q(tree)};`,
    `Dir::State::status ${q(join(tree, 'var/lib/dpkg/status'))};`,
    `Dir::State::lists ${q(join(work, 'lists'))};`,
    `Dir::Cache ${q(join(work, 'cache'))};`,
    `Dir::Cache::archives ${q(join(tree, 'var/cache/apt/archives'))};`,
    `Dir::Etc::sourcelist ${q(join(work, 'sources.list'))};`,
    `Dir::Etc::sourceparts ${q(join(work, 'sources.list.d'))};`,
    `DPkg::Chroot-Directory ${q(tree)};`,
    `APT::Architecture ${q(architecture)};`,
    `APT::Architectures ${q(architecture)};`,
    `APT::Install-Recommends ${q(String(installRecommends))};`,
    'APT::Install-Suggests "false";',
    // The sandbox has no _apt user; the repository is a local directory anyway.
    'APT::Sandbox::User "root";',
    'Acquire::Languages "none";',
    // No /dev/pts in the sandbox for apt's terminal log.
    'Dpkg::Use-Pty "false";',
    ...Object.entries(extra).map(([name, value]) => `${name} ${q(value)};`),
  ];
  const file = join(work, 'apt.conf');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

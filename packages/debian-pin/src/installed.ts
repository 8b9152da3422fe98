import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** One installed package, as the Debian stages report it in their metadata (and `--sbom` reads it). */
export interface InstalledDeb {
  name: string;
  version: string;
  architecture: string;
  /** The source package it was built from, and that source's version (dpkg's `source:Package`, `source:Version`). */
  source: string;
  source_version: string;
  /** The `.deb` it was installed from, by the build's source item id (`sha256:<hex>`); null when no input of this stage had it. */
  checksum: string | null;
}

const FORMAT = '${db:Status-Status}\\t${Package}\\t${Version}\\t${Architecture}\\t${source:Package}\\t${source:Version}\\n';

/**
 * What the tree's dpkg database lists as installed, with the checksum of
 * the `.deb` each came from where `debs` (the stage's input, e.g. a local
 * repository's packages) has it: name, version and architecture must all
 * match. Sorted by name, then architecture.
 */
export function installedDebs(tree: string, debs: readonly { name: string; version: string; architecture: string; checksum: string }[] = []): InstalledDeb[] {
  const byKey = new Map(debs.map((d) => [`${d.name}\t${d.version}\t${d.architecture}`, d.checksum]));
  const text = execFileSync('dpkg-query', [`--admindir=${join(tree, 'var/lib/dpkg')}`, '--show', `--showformat=${FORMAT}`], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return text
    .split('\n')
    .map((line) => line.split('\t'))
    .filter((cells) => cells[0] === 'installed')
    .map(([, name = '', version = '', architecture = '', source = '', sourceVersion = '']) => ({
      name,
      version,
      architecture,
      source: source || name,
      source_version: sourceVersion || version,
      checksum: byKey.get(`${name}\t${version}\t${architecture}`) ?? null,
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.architecture < b.architecture ? -1 : a.architecture > b.architecture ? 1 : 0));
}

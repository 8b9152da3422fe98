import { installedDebs, type InstalledDeb } from '@osbuild-ts/debian-pin/installed';

export type InstalledPackage = InstalledDeb;

/**
 * What the tree's dpkg database lists as installed, for the stage's
 * metadata: name, version, architecture, source package and version, and
 * the checksum of the input's `.deb` each came from (`--sbom` reads these).
 */
export function installedPackages(tree: string, debs: Parameters<typeof installedDebs>[1] = []): InstalledPackage[] {
  return installedDebs(tree, debs);
}

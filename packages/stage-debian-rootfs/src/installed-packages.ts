import { captureTool } from '@osbuild-ts/plugin-kit';

export interface InstalledPackage {
  name: string;
  version: string;
  architecture: string;
}

/** What the tree's dpkg database lists as installed, for the stage's metadata. */
export function installedPackages(tree: string): InstalledPackage[] {
  const text = captureTool('dpkg-query', [`--admindir=${tree}/var/lib/dpkg`, '--show', '--showformat=${db:Status-Status}\\t${Package}\\t${Version}\\t${Architecture}\\n']);
  return text
    .split('\n')
    .map((line) => line.split('\t'))
    .filter((cells) => cells[0] === 'installed')
    .map(([, name = '', version = '', architecture = '']) => ({ name, version, architecture }));
}

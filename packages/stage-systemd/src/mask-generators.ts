import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Masks generators the way systemd documents it, since systemctl cannot:
 * `/etc/systemd/system-generators/NAME` → `/dev/null`. A name that is not a
 * plain file name, or a mask that is already there, is an error.
 */
export function maskGenerators(tree: string, generators: readonly string[]): void {
  if (generators.length === 0) return;
  const dir = join(tree, 'etc/systemd/system-generators');
  mkdirSync(dir, { recursive: true });
  for (const name of generators) {
    if (name === '' || name === '.' || name === '..' || name.includes('/')) {
      throw new Error(`masked_generators: "${name}" is not a generator name (a file name, without /)`);
    }
    try {
      symlinkSync('/dev/null', join(dir, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new Error(`masked_generators: /etc/systemd/system-generators/${name} already exists`);
      }
      throw error;
    }
  }
}

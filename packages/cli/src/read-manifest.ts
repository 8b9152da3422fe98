import { readFileSync } from 'node:fs';
import { OsbuildError } from '@osbuild-ts/core';

/** The manifest's text from a path or `-` (stdin), and the name to show for it. */
export function readManifest(path: string): { text: string; name: string } {
  const name = path === '-' ? '<stdin>' : path;
  try {
    return { text: readFileSync(path === '-' ? 0 : path, 'utf8'), name };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new OsbuildError('E_USAGE', `cannot read manifest ${name}: ${reason}`, { cause: error });
  }
}

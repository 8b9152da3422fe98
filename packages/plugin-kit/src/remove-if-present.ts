import { rmSync } from 'node:fs';

/** Removes a file if it is there; says whether it was. Other errors throw. */
export function removeIfPresent(path: string): boolean {
  try {
    rmSync(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

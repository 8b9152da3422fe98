import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The fields of a user's /etc/passwd line that the stage needs. */
export interface PasswdEntry {
  name: string;
  uid: string;
  gid: string;
  home: string;
}

/** Looks `name` up in the tree's /etc/passwd (never the host's user database). */
export function passwdEntry(tree: string, name: string): PasswdEntry | null {
  let text: string;
  try {
    text = readFileSync(join(tree, 'etc/passwd'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('the tree has no /etc/passwd');
    throw error;
  }
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    if (fields[0] !== name) continue;
    return { name, uid: fields[2] ?? '', gid: fields[3] ?? '', home: fields[5] ?? '' };
  }
  return null;
}

/** A numeric id from /etc/passwd, or an error naming the user. */
export function numericId(entry: PasswdEntry, field: 'uid' | 'gid'): number {
  const value = Number(entry[field]);
  if (entry[field] === '' || !Number.isInteger(value) || value < 0) {
    throw new Error(`user ${entry.name}: /etc/passwd has ${field} "${entry[field]}"`);
  }
  return value;
}

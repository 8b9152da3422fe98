import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const entry = join(import.meta.dirname, '..', 'dist', 'main.js');

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `debian-install-${prefix}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Package → dpkg's status abbreviation (`ii` = installed) inside the tree. */
export function statusInTree(tree: string): Map<string, string> {
  const text = execFileSync('chroot', [tree, 'dpkg-query', '--show', '--showformat=${db:Status-Abbrev}\\t${Package}\\n'], { encoding: 'utf8' });
  return new Map(text.trim().split('\n').map((line) => line.split('\t').reverse().map((s) => s.trim()) as [string, string]));
}

/** Mount points at or under a directory, from the host's view. */
export function mountsUnder(dir: string): string[] {
  return execFileSync('findmnt', ['--list', '--noheadings', '--output', 'TARGET'], { encoding: 'utf8' })
    .split('\n')
    .filter((target) => target === dir || target.startsWith(`${dir}/`));
}

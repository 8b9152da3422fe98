import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { refuseLinksOut, runTool } from '@osbuild-ts/plugin-kit';

/**
 * GNU tar refuses members with `..`, strips a leading `/`, and delays
 * symlinks it extracts so that later members cannot be written through them.
 * What it does follow are symlinks already in the directory (left by an
 * earlier stage): a member `var/run/x` under a tree whose `var/run` is a
 * link to `/run` would land outside the tree. So when the directory is not
 * empty, every member's parent directories are checked first, and the
 * archive is refused naming the member and the link. An empty directory (the
 * usual case, a root file system tarball) needs no listing.
 */
export function refuseMembersThroughLinks(archive: string, directory: string, root: string): void {
  if (readdirSync(directory).length === 0) return;
  // Through a file: a root file system's listing is megabytes, past what a pipe to spawnSync takes.
  const scratch = mkdtempSync(join(tmpdir(), 'untar-list-'));
  let listing: string;
  try {
    runTool('tar', ['--auto-compress', '-t', '-f', archive], { stdoutFile: join(scratch, 'members') });
    listing = readFileSync(join(scratch, 'members'), 'utf8');
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const checked = new Set<string>();
  for (const line of listing.split('\n')) {
    if (line === '') continue;
    const member = unescapeName(line);
    const parent = posix.dirname(posix.normalize(member.replace(/^\/+/, '')));
    if (parent === '.' || parent.startsWith('..') || checked.has(parent)) continue;
    checked.add(parent);
    refuseLinksOut(root, posix.join(directory, parent), `archive member "${member}"`);
  }
}

/** tar's default quoting for names it lists (`escape`): C escapes and octal. */
function unescapeName(text: string): string {
  return text.replace(/\\([0-7]{3}|.)/g, (_, code: string) => {
    if (/^[0-7]{3}$/.test(code)) return String.fromCharCode(parseInt(code, 8));
    return { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', b: '\b', a: '\x07', '\\': '\\' }[code] ?? code;
  });
}

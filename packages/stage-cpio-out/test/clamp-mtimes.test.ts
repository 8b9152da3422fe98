import { execFileSync } from 'node:child_process';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testdir } from '@osbuild-ts/plugin-kit/testing';
import { clampArchiveMtimes } from '../src/clamp-mtimes.js';

const EPOCH = 1_700_000_000;

/** A tree with one member older than the epoch and the rest newer. */
function tree(): string {
  const dir = testdir('tree');
  mkdirSync(join(dir, 'etc'));
  writeFileSync(join(dir, 'etc', 'old'), 'old\n');
  writeFileSync(join(dir, 'etc', 'new'), 'new content\n');
  utimesSync(join(dir, 'etc', 'old'), 1_600_000_000, 1_600_000_000);
  return dir;
}

/** name → mtime, as GNU cpio reads them back. */
function times(archive: string): Record<string, number> {
  const out = testdir('out');
  execFileSync('cpio', ['-idm', '--quiet', '-F', archive], { cwd: out });
  const listing = execFileSync('find', ['.', '-mindepth', '1', '-printf', '%P %T@\n'], { cwd: out, encoding: 'utf8' });
  return Object.fromEntries(listing.trim().split('\n').map((l) => [l.split(' ')[0]!, Math.floor(Number(l.split(' ')[1]))]));
}

describe('clampArchiveMtimes', () => {
  for (const format of ['newc', 'crc', 'odc', 'ustar'] as const) {
    it(`${format}: times later than the epoch become the epoch, earlier ones stay, and cpio still reads every member`, () => {
      const dir = tree();
      const archive = join(testdir('archive'), `a.${format}`);
      execFileSync('sh', ['-c', `find etc | sort | cpio -o --quiet --format=${format} --reproducible -O "$1"`, 'sh', archive], { cwd: dir });
      // The directory and the new file; extracting sets a directory's time
      // before its files land in it, so only the files' times are compared.
      expect(clampArchiveMtimes(archive, format, EPOCH)).toBe(2);
      const { etc, ...files } = times(archive);
      expect(etc).toBeGreaterThan(0);
      expect(files).toEqual({ 'etc/new': EPOCH, 'etc/old': 1_600_000_000 });
      // Idempotent: nothing later than the epoch is left.
      expect(clampArchiveMtimes(archive, format, EPOCH)).toBe(0);
    });
  }

  it('refuses what is not the format it was told', () => {
    const file = join(testdir('junk'), 'junk');
    writeFileSync(file, 'x'.repeat(200));
    expect(() => clampArchiveMtimes(file, 'newc', EPOCH)).toThrow(/not a newc\/crc member at byte 0/);
  });
});

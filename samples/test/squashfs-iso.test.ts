// samples/squashfs-iso.json through our CLI: a tree, its squashfs, an ISO
// of that. Built twice from empty stores (every stage runs again, at other
// times), the squashfs and the ISO are the same bytes, and the squashfs
// holds exactly the exported tree.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { skipReason } from '@osbuild-ts/plugin-kit/testing';
import { OSBUILD, REPO, run, tail } from './run.js';

const unavailable = skipReason(process.getuid?.() !== 0 ? 'needs root' : !existsSync('/usr/bin/mksquashfs') || !existsSync('/usr/bin/xorrisofs') ? 'needs squashfs-tools and xorriso' : null);
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** `unsquashfs -lln` or `find` of a tree as `mode owner path[ -> target]` lines, sorted. */
function squashListing(image: string): string[] {
  return execFileSync('unsquashfs', ['-lln', image], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => /^[-dlcbps][-rwxsStT]{9} /.test(l))
    .map((l) => {
      const m = /^(\S+) (\d+\/\d+) +.+? \d{4}-\d\d-\d\d \d\d:\d\d squashfs-root(.*)$/.exec(l) as RegExpExecArray;
      return `${m[1]} ${m[2]} ${m[3] || '/'}`;
    })
    .sort();
}
function treeListing(root: string): string[] {
  return execFileSync('find', [root, '-printf', '%M %U/%G /%P\\0%l\\n'], { encoding: 'utf8' })
    .trimEnd()
    .split('\n')
    .map((l) => {
      const [head = '', target = ''] = l.split('\0');
      return target ? `${head} -> ${target}` : head;
    })
    .sort();
}

describe.skipIf(unavailable !== null)(`samples/squashfs-iso.json${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const work = mkdtempSync(join(tmpdir(), 'sample-squashfs-iso-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const build = (name: string) =>
    run(OSBUILD, ['--store', join(work, `store-${name}`), '--export', 'tree', '--export', 'iso-tree', '--export', 'iso', '--output-directory', join(work, name), join(REPO, 'samples', 'squashfs-iso.json')]);

  it('gives the same squashfs and ISO when built again from an empty store, and the squashfs is the tree', async () => {
    const first = await build('first');
    expect(first.status, tail(first.output)).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const second = await build('second');
    expect(second.status, tail(second.output)).toBe(0);
    const squash = (n: string) => join(work, n, 'iso-tree', 'LiveOS', 'squashfs.img');
    const iso = (n: string) => join(work, n, 'iso', 'squashed.iso');
    expect(sha256(squash('second'))).toBe(sha256(squash('first')));
    expect(sha256(iso('second'))).toBe(sha256(iso('first')));
    const listed = squashListing(squash('first'));
    expect(listed).toEqual(treeListing(join(work, 'first', 'tree')).map((l) => l.replace(/^(\S+ \S+) \/$/, '$1 /')));
    expect(listed).toContain('drwx------ 0/0 /var/secret');
    expect(listed.some((l) => /^l\S+ 0\/0 \/etc\/localtime -> .*Europe\/Berlin$/.test(l))).toBe(true);
    const files = execFileSync('xorriso', ['-indev', iso('first'), '-find', '/', '-exec', 'lsdl'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(files).toContain("'/LiveOS/squashfs.img'");
  });
});

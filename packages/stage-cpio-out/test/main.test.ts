import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { richTree, runStageLocally, testdir, treeListing } from '@osbuild-ts/plugin-kit/testing';
import { memberList } from '../src/member-list.js';

const entry = join(import.meta.dirname, '..', 'dist', 'main.js');

async function archive(input: string, options: Record<string, unknown>, tree = testdir('tree')) {
  const result = await runStageLocally({ entry, tree, inputs: { tree: { path: input } }, options });
  return { result, file: join(tree, String(options['filename']).replace(/^\//, '')) };
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** `cpio -t` names, in archive order. */
function names(file: string): string[] {
  return execFileSync('cpio', ['-t', '--quiet', '-F', file], { encoding: 'utf8' }).trimEnd().split('\n');
}

function extract(file: string): string {
  const dir = testdir('extracted');
  execFileSync('cpio', ['-idm', '--quiet', '--no-absolute-filenames', '-F', file], { cwd: dir });
  return dir;
}

describe('org.osbuild.cpio.out', () => {
  it('unpacks to the input tree: owners, modes, mtimes, hard links, devices, symlinks (cpio keeps no xattrs)', async () => {
    const input = richTree(testdir('input'));
    const { result, file } = await archive(input, { filename: '/initrd.cpio' });
    expect(result.exitCode, result.output).toBe(0);
    const out = extract(file);
    // cpio -m sets a directory's mtime before its entries are made: compare directory mtimes apart.
    // cpio leaves the directory it extracts into alone (the '.' member).
    const dirsOut = treeListing(out, { ignoreXattr: /./ }).filter((l) => !/ d /.test(l));
    expect(dirsOut).toEqual(treeListing(input, { ignoreXattr: /./ }).filter((l) => !/ d /.test(l)));
    const rest = (lines: string[]) => lines.filter((l) => !l.startsWith('. '));
    expect(rest(treeListing(out, { ignoreXattr: /./, mtime: false }))).toEqual(rest(treeListing(input, { ignoreXattr: /./, mtime: false })));
    expect(execFileSync('cpio', ['-tv', '--quiet', '-F', file], { encoding: 'utf8' }).split('\n')[0]).toMatch(/^drwxr-xr-x .* \.$/);
    expect(readFileSync(file).subarray(0, 6).toString()).toBe('070701');
  });

  it('lists each directory after its files and before its subdirectories, sorted, as upstream walks', () => {
    const input = richTree(testdir('input'));
    expect(memberList(input, true)).toEqual([
      '.',
      'dev/fifo', 'dev/loop9', 'dev/null', 'dev',
      'etc/hostname', 'etc',
      'etc/app/config file', 'etc/app',
      'srv/dangling', 'srv/hard', 'srv/link', 'srv/tool', 'srv',
      'srv/empty',
      'tmp',
    ]);
    expect(memberList(input, false)[0]).toBe('dev/fifo');
  });

  it('gives the same bytes for two copies of the tree made at different times', async () => {
    const a = richTree(testdir('tree-a'));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const b = join(testdir('tree-b'), 'tree');
    execFileSync('cp', ['-a', a, b]);
    for (const format of ['newc', 'crc', 'odc', 'ustar']) {
      const first = await archive(a, { filename: 'x.cpio', format });
      const second = await archive(b, { filename: 'x.cpio', format });
      expect(first.result.exitCode, first.result.output).toBe(0);
      expect(sha256(second.file), format).toBe(sha256(first.file));
    }
  });

  it('omits the root node, sets the owner, and appends when asked', async () => {
    const input = richTree(testdir('input'));
    const tree = testdir('tree');
    const omitted = await archive(input, { filename: 'a.cpio', 'root-node': 'omit', owner: { user: '0', group: '0' } }, tree);
    expect(omitted.result.exitCode, omitted.result.output).toBe(0);
    expect(names(omitted.file)).not.toContain('.');
    const listing = execFileSync('cpio', ['-tv', '--quiet', '--numeric-uid-gid', '-F', omitted.file], { encoding: 'utf8' });
    expect(listing).not.toMatch(/ 1234 /);
    const extra = testdir('extra');
    writeFileSync(join(extra, 'added'), 'later\n');
    const appended = await archive(extra, { filename: 'a.cpio', append: true, 'root-node': 'omit' }, tree);
    expect(appended.result.exitCode, appended.result.output).toBe(0);
    expect(names(appended.file).slice(-1)).toEqual(['added']);
  });
});

import { createHash } from 'node:crypto';
import { chmodSync, chownSync, lchownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { treeDiff } from '../src/tree-diff.js';

const isRoot = process.getuid?.() === 0;

function testdir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tree-diff-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** Two trees made by the same function, so they start out equal. */
function pair(make: (root: string) => void): [string, string] {
  const a = join(testdir(), 'a');
  const b = join(testdir(), 'b');
  for (const root of [a, b]) {
    mkdirSync(root, { mode: 0o755 });
    chmodSync(root, 0o755);
    make(root);
  }
  return [a, b];
}

function base(root: string): void {
  mkdirSync(join(root, 'etc'));
  chmodSync(join(root, 'etc'), 0o755);
  writeFileSync(join(root, 'etc/hostname'), 'box\n');
  chmodSync(join(root, 'etc/hostname'), 0o644);
  mkdirSync(join(root, 'etc/old/deep'), { recursive: true });
  writeFileSync(join(root, 'etc/old/deep/file'), '');
  symlinkSync('/usr/share/zoneinfo/Etc/UTC', join(root, 'etc/localtime'));
}

describe('treeDiff', () => {
  it('reports nothing for equal trees', () => {
    const [a, b] = pair(base);
    expect(treeDiff(a, b)).toEqual({ added_files: [], deleted_files: [], differences: {} });
  });

  it('lists added and deleted paths, everything below a directory included, sorted', () => {
    const [a, b] = pair(base);
    rmSync(join(b, 'etc/old'), { recursive: true });
    mkdirSync(join(b, 'etc/new/sub'), { recursive: true });
    writeFileSync(join(b, 'etc/new/sub/x'), 'x');
    writeFileSync(join(b, 'etc/a-file'), 'x');
    expect(treeDiff(a, b)).toEqual({
      added_files: ['/etc/a-file', '/etc/new', '/etc/new/sub', '/etc/new/sub/x'],
      deleted_files: ['/etc/old', '/etc/old/deep', '/etc/old/deep/file'],
      differences: {},
    });
  });

  it('reports content as sha256 and symlink targets', () => {
    const [a, b] = pair(base);
    writeFileSync(join(b, 'etc/hostname'), 'other\n');
    rmSync(join(b, 'etc/localtime'));
    symlinkSync('../usr/share/zoneinfo/Europe/Berlin', join(b, 'etc/localtime'));
    expect(treeDiff(a, b).differences).toEqual({
      '/etc/hostname': { content: [sha256('box\n'), sha256('other\n')] },
      '/etc/localtime': { symlink: ['/usr/share/zoneinfo/Etc/UTC', '../usr/share/zoneinfo/Europe/Berlin'] },
    });
  });

  it('reports a mode change alone, and does not look inside a directory whose mode changed', () => {
    const [a, b] = pair(base);
    chmodSync(join(b, 'etc/hostname'), 0o600);
    writeFileSync(join(b, 'etc/hostname'), 'changed too\n');
    chmodSync(join(b, 'etc/old'), 0o700);
    writeFileSync(join(b, 'etc/old/deep/file'), 'unseen');
    chmodSync(b, 0o700);
    expect(treeDiff(a, b).differences).toEqual({
      '/': { mode: [0o40755, 0o40700] },
      '/etc/hostname': { mode: [0o100644, 0o100600] },
      '/etc/old': { mode: [0o40755, 0o40700] },
    });
  });

  it('sees a file turned into a directory as a mode change', () => {
    const [a, b] = pair(base);
    rmSync(join(b, 'etc/hostname'));
    mkdirSync(join(b, 'etc/hostname'), { mode: 0o755 });
    chmodSync(join(b, 'etc/hostname'), 0o755);
    expect(treeDiff(a, b).differences).toEqual({ '/etc/hostname': { mode: [0o100644, 0o40755] } });
  });

  it('reports only that files with timestamps inside changed', () => {
    const [a, b] = pair((root) => {
      mkdirSync(join(root, 'etc'));
      chmodSync(join(root, 'etc'), 0o755);
      for (const name of ['shadow', 'shadow-', 'passwd']) {
        writeFileSync(join(root, 'etc', name), 'root:*:19000:0:99999:7:::\n');
        chmodSync(join(root, 'etc', name), 0o640);
      }
    });
    for (const name of ['shadow', 'shadow-', 'passwd']) writeFileSync(join(b, 'etc', name), 'root:*:20000:0:99999:7:::\n');
    expect(treeDiff(a, b).differences).toEqual({
      '/etc/passwd': { content: [sha256('root:*:19000:0:99999:7:::\n'), sha256('root:*:20000:0:99999:7:::\n')] },
      '/etc/shadow': { content: [null, null] },
      '/etc/shadow-': { content: [null, null] },
    });
  });

  it.skipIf(!isRoot)('reports owners, and content of files whose owner changed', () => {
    const [a, b] = pair(base);
    chownSync(join(b, 'etc/hostname'), 1000, 1001);
    writeFileSync(join(b, 'etc/hostname'), 'new\n');
    lchownSync(join(b, 'etc/localtime'), 0, 42);
    expect(treeDiff(a, b).differences).toEqual({
      '/etc/hostname': { uid: [0, 1000], gid: [0, 1001], content: [sha256('box\n'), sha256('new\n')] },
      '/etc/localtime': { gid: [0, 42] },
    });
  });

  it('sorts keys, so a report written as JSON is stable', () => {
    const [a, b] = pair(base);
    writeFileSync(join(b, 'etc/z'), '');
    writeFileSync(join(b, 'etc/B'), '');
    writeFileSync(join(b, 'etc/hostname'), 'x');
    writeFileSync(join(a, 'etc/old/deep/file'), 'y');
    const report = treeDiff(a, b);
    expect(Object.keys(report)).toEqual(['added_files', 'deleted_files', 'differences']);
    expect(report.added_files).toEqual(['/etc/B', '/etc/z']);
    expect(Object.keys(report.differences)).toEqual(['/etc/hostname', '/etc/old/deep/file']);
  });
});

import {
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { copyTree, debianTreeTarball, debianTreeUnavailable, makeDebianTree } from '../src/debian-tree.js';
import { skipReason } from '../src/skip-reason.js';

// The configuration stages' tests use this list too, so the tarball is shared.
const TREE = { include: ['systemd', 'passwd', 'login'] };
const skip = skipReason(debianTreeUnavailable());

function testdir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'debian-tree-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('debianTreeUnavailable', () => {
  it('is null or says what is missing', () => {
    expect(skip === null || /^making a Debian tree needs /.test(skip)).toBe(true);
  });
});

describe.skipIf(skip !== null)(`Debian trees${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('makes the tarball once and hands out the cached one, whatever the order of packages', async () => {
    const [first, second] = await Promise.all([
      debianTreeTarball(TREE),
      debianTreeTarball({ include: ['login', 'systemd', 'passwd', 'login'] }),
    ]);
    expect(second).toBe(first);
    const made = statSync(first).mtimeMs;
    expect(await debianTreeTarball(TREE)).toBe(first);
    expect(statSync(first).mtimeMs).toBe(made);
    expect(readdirSync(join(first, '..')).filter((name) => name.includes('.partial-') || name.endsWith('.lock'))).toEqual([]);
  }, 600_000);

  it('extracts a bookworm tree with the packages, nothing of the host and no documentation', async () => {
    const tree = join(testdir(), 'tree');
    await makeDebianTree(tree, TREE);
    expect(readFileSync(join(tree, 'etc/os-release'), 'utf8')).toContain('VERSION_CODENAME=bookworm');
    for (const tool of ['usr/bin/systemctl', 'usr/bin/systemd-firstboot', 'usr/sbin/useradd', 'usr/bin/passwd']) {
      expect(existsSync(join(tree, tool)), tool).toBe(true);
    }
    expect(readFileSync(join(tree, 'etc/hostname'), 'utf8')).toBe('localhost\n');
    expect(statSync(join(tree, 'etc/hostname')).mode).toBe(0o100644);
    expect(existsSync(join(tree, 'etc/resolv.conf'))).toBe(false);
    expect(existsSync(join(tree, 'usr/share/doc/systemd'))).toBe(false);
    expect(statSync(join(tree, 'etc/shadow'))).toMatchObject({ uid: 0, gid: 42, mode: 0o100640 });
  }, 600_000);
});

describe.skipIf(process.getuid?.() !== 0)('copyTree', () => {
  it('keeps owners, modes and links', async () => {
    const dir = testdir();
    const from = join(dir, 'from');
    mkdirSync(join(from, 'etc'), { recursive: true });
    writeFileSync(join(from, 'etc/secret'), 's', { mode: 0o600 });
    chownSync(join(from, 'etc/secret'), 1234, 42);
    symlinkSync('/dev/null', join(from, 'etc/masked'));
    await copyTree(from, join(dir, 'to'));
    expect(statSync(join(dir, 'to/etc/secret'))).toMatchObject({ uid: 1234, gid: 42, mode: 0o100600 });
    expect(lstatSync(join(dir, 'to/etc/masked')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'to/etc/masked'))).toBe('/dev/null');
  });
});

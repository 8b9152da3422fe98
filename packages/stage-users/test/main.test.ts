import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStageLocally, skipReason } from '@osbuild-ts/plugin-kit/testing';
import { entry, itMatchesEachDataCase, runOnCopy, testdir, unavailable, useTreeBefore } from './stage-cases.js';

const skip = skipReason(unavailable(['useradd', 'usermod', 'passwd']));

function line(file: string, name: string): string | undefined {
  return readFileSync(file, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
}

describe.skipIf(skip !== null)(`org.osbuild.users${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const before = useTreeBefore();

  itMatchesEachDataCase(before);

  it('adds a user with every option: passwd, shadow, groups, home, keys', async () => {
    const options = JSON.parse(readFileSync(join(import.meta.dirname, 'data/new-user/options.json'), 'utf8')) as {
      users: { alice: { password: string; keys: string[]; key: string } };
    };
    const { result, after } = await runOnCopy(before(), options);
    expect(result.exitCode, result.output).toBe(0);
    expect(line(join(after, 'etc/passwd'), 'alice')).toBe('alice:x:1234:1234:Alice Example:/home/alice:/bin/bash');
    // Password as given, last change 0 (force_password_reset), account expiring on day 20000.
    expect(line(join(after, 'etc/shadow'), 'alice')).toBe(`alice:${options.users.alice.password}:0:0:99999:7::20000:`);
    expect(line(join(after, 'etc/group'), 'users')).toMatch(/[:,]alice$/);
    expect(line(join(after, 'etc/group'), 'adm')).toMatch(/[:,]alice$/);
    const ssh = join(after, 'home/alice/.ssh');
    expect(statSync(ssh)).toMatchObject({ uid: 1234, gid: 1234, mode: 0o40700 });
    expect(statSync(join(ssh, 'authorized_keys'))).toMatchObject({ uid: 1234, gid: 1234, mode: 0o100600 });
    expect(readFileSync(join(ssh, 'authorized_keys'), 'utf8')).toBe(`${options.users.alice.keys[0]}\n${options.users.alice.key}\n`);
  });

  it('appends keys to an existing authorized_keys', async () => {
    const { result, after } = await runOnCopy(before(), { users: { root: { keys: ['key-two'] } } }, (tree) => {
      mkdirSync(join(tree, 'root/.ssh'), { recursive: true, mode: 0o700 });
      writeFileSync(join(tree, 'root/.ssh/authorized_keys'), 'key-one\n', { mode: 0o644 });
    });
    expect(result.exitCode, result.output).toBe(0);
    expect(readFileSync(join(after, 'root/.ssh/authorized_keys'), 'utf8')).toBe('key-one\nkey-two\n');
    expect(statSync(join(after, 'root/.ssh/authorized_keys')).mode).toBe(0o100600);
  });

  it('makes a missing home for an existing user from /etc/skel, as mkhomedir_helper would', async () => {
    const { result, after } = await runOnCopy(before(), { users: { 'www-data': { password: '*' } } });
    expect(result.exitCode, result.output).toBe(0);
    expect(statSync(join(after, 'var/www'))).toMatchObject({ uid: 33, gid: 33, mode: 0o40755 });
    expect(statSync(join(after, 'var/www/.bashrc'))).toMatchObject({ uid: 33, gid: 33, mode: 0o100644 });
    expect(readFileSync(join(after, 'var/www/.bashrc'), 'utf8')).toBe(readFileSync(join(after, 'etc/skel/.bashrc'), 'utf8'));
  });

  it("refuses to change an existing user's uid", async () => {
    const { result, diff } = await runOnCopy(before(), { users: { root: { uid: 1000 } } });
    expect(result.exitCode).toBe(1);
    expect(result.output).toBe("can't set uid of existing user 'root' (it has 0, the options say 1000)\n");
    expect(diff).toEqual({ added_files: [], deleted_files: [], differences: {} });
  });

  it('fails when useradd does, for a group the tree lacks', async () => {
    const { result } = await runOnCopy(before(), { users: { carol: { groups: ['no-such-group'] } } });
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain('no-such-group');
    expect(result.output).toContain('useradd --root');
  });

  it('fails clearly on keys for a user without a home', async () => {
    // Debian's useradd makes no home unless asked to.
    const { result } = await runOnCopy(before(), { users: { dave: { key: 'k' } } });
    expect(result.exitCode).toBe(1);
    expect(result.output).toBe('user dave: cannot add SSH keys, home directory "/home/dave" does not exist in the tree\n');
  });
});

describe('org.osbuild.users without the tools', () => {
  it('fails naming useradd and its package', async () => {
    const tree = testdir('users');
    mkdirSync(join(tree, 'etc'));
    writeFileSync(join(tree, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
    const result = await runStageLocally({ entry, tree, options: { users: { eve: {} } }, env: { PATH: '/nonexistent' } });
    expect(result.exitCode).toBe(1);
    expect(result.output).toBe('useradd is not in the build root (searched /nonexistent); it comes with the package "passwd"\n');
  });

  it('needs no tool for an existing user with only keys', async () => {
    const tree = testdir('users');
    mkdirSync(join(tree, 'etc'));
    mkdirSync(join(tree, 'root'));
    writeFileSync(join(tree, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
    const result = await runStageLocally({ entry, tree, options: { users: { root: { key: 'k' } } }, env: { PATH: '/nonexistent' } });
    expect(result.exitCode, result.output).toBe(0);
    expect(readFileSync(join(tree, 'root/.ssh/authorized_keys'), 'utf8')).toBe('k\n');
  });
});

import { describe, expect, it } from 'vitest';
import { sshKeys, useraddArguments, usermodArguments } from '../src/user-arguments.js';

describe('useraddArguments', () => {
  it('is just the name for no options', () => {
    expect(useraddArguments('/t', 'foo', {})).toEqual(['--root', '/t', 'foo']);
  });

  it('passes every option in upstream order', () => {
    expect(
      useraddArguments('/t', 'foo', {
        expiredate: 12345,
        password: '$6$x',
        shell: '/bin/zsh',
        home: '/srv/foo',
        description: 'Foo',
        groups: ['wheel', 'users'],
        gid: 100,
        uid: 1000,
      }),
    ).toEqual([
      '--root', '/t',
      '--uid', '1000', '-o',
      '--gid', '100',
      '--groups', 'wheel,users',
      '--comment', 'Foo',
      '--home-dir', '/srv/foo', '--create-home',
      '--shell', '/bin/zsh',
      '--password', '$6$x',
      '--expiredate', '12345',
      'foo',
    ]);
  });

  it('turns an empty home into --no-create-home, and skips empty groups and shell', () => {
    expect(useraddArguments('/t', 'foo', { home: '', groups: [], shell: '', description: '' })).toEqual([
      '--root', '/t', '--comment', '', '--no-create-home', 'foo',
    ]);
  });
});

describe('usermodArguments', () => {
  it('is null when there is nothing to change (a uid is never changed)', () => {
    expect(usermodArguments('/t', 'foo', {})).toBeNull();
    expect(usermodArguments('/t', 'foo', { uid: 5, home: '', key: 'k', force_password_reset: true })).toBeNull();
  });

  it('changes the passwd entry only, home included', () => {
    expect(usermodArguments('/t', 'foo', { gid: 7, groups: ['a'], description: 'd', home: '/h', shell: '/s', password: 'p', expiredate: 1 })).toEqual([
      '--root', '/t', '--gid', '7', '--groups', 'a', '--comment', 'd', '--home', '/h', '--shell', '/s', '--password', 'p', '--expiredate', '1', 'foo',
    ]);
  });
});

describe('sshKeys', () => {
  it('puts keys first and the single key last', () => {
    expect(sshKeys({ key: 'k', keys: ['a', 'b'] })).toEqual(['a', 'b', 'k']);
    expect(sshKeys({ key: '' })).toEqual([]);
  });
});

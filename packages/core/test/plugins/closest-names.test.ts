import { expect, test } from 'vitest';
import { closestNames } from '../../src/plugins/closest-names.js';

const names = [
  'org.osbuild.copy',
  'org.osbuild.grub2',
  'org.osbuild.hostname',
  'org.osbuild.locale',
  'org.osbuild.mkdir',
  'org.osbuild.mkfs.ext4',
  'org.osbuild.mkfs.fat',
  'org.osbuild.rpm',
  'org.osbuild.selinux',
  'org.osbuild.systemd',
  'org.osbuild.tar',
];

test.each([
  ['org.osbuild.hostnme', ['org.osbuild.hostname']],
  ['org.osbuild.selinx', ['org.osbuild.selinux']],
  ['org.osbuild.grub', ['org.osbuild.grub2']],
  ['org.osbuild.rpms', ['org.osbuild.rpm']],
  ['org.osbuild.mkfs.ext3', ['org.osbuild.mkfs.ext4']],
  ['org.osbuild.mkfs', ['org.osbuild.mkfs.ext4', 'org.osbuild.mkfs.fat']],
  ['org.osbuild.tarr', ['org.osbuild.tar']],
  ['org.osbuild.nope', []],
  ['org', []],
  ['org.osbuild.mkdri', ['org.osbuild.mkdir']],
])('%s → %j', (wanted, expected) => {
  expect(closestNames(wanted, names)).toEqual(expected);
});

test('at most three, best first', () => {
  expect(closestNames('org.x.aa', ['org.x.ab', 'org.x.ba', 'org.x.a', 'org.x.aaa', 'org.x.ac'])).toEqual([
    'org.x.a',
    'org.x.aaa',
    'org.x.ab',
  ]);
});

import { join } from 'node:path';
import { symlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareVersions, findKernels } from '../src/kernels.js';
import { testdir, writeFiles } from './helpers.js';

describe('compareVersions', () => {
  it('orders the way sort -V does', () => {
    const sorted = ['6.1.0-9-amd64', '6.1.0-56-amd64', '5.10.0-28-amd64', '6.1.0-10-cloud-amd64', '6.1.0~rc3-amd64', '6.1.0'].sort(compareVersions);
    expect(sorted).toEqual(['5.10.0-28-amd64', '6.1.0~rc3-amd64', '6.1.0', '6.1.0-9-amd64', '6.1.0-10-cloud-amd64', '6.1.0-56-amd64']);
    expect(compareVersions('6.1.0-56-amd64', '6.1.0-56-amd64')).toBe(0);
  });
});

describe('findKernels', () => {
  it('finds /boot/vmlinuz-V with the initrd of each, newest first, skipping leftovers and links', () => {
    const tree = testdir();
    writeFiles(tree, {
      'boot/vmlinuz-6.1.0-9-amd64': '',
      'boot/initrd.img-6.1.0-9-amd64': '',
      'boot/vmlinuz-6.1.0-56-amd64': '',
      'boot/initramfs-6.1.0-56-amd64.img': '',
      'boot/vmlinuz-5.10.0-28-amd64': '',
      'boot/vmlinuz-5.10.0-28-amd64.dpkg-bak': '',
      'boot/vmlinuz-': '',
    });
    symlinkSync('vmlinuz-6.1.0-56-amd64', join(tree, 'boot/vmlinuz-latest'));
    expect(findKernels(tree)).toEqual([
      { version: '6.1.0-56-amd64', image: 'vmlinuz-6.1.0-56-amd64', initrd: 'initramfs-6.1.0-56-amd64.img' },
      { version: '6.1.0-9-amd64', image: 'vmlinuz-6.1.0-9-amd64', initrd: 'initrd.img-6.1.0-9-amd64' },
      { version: '5.10.0-28-amd64', image: 'vmlinuz-5.10.0-28-amd64', initrd: null },
    ]);
  });

  it('finds nothing in a tree without /boot', () => {
    expect(findKernels(testdir())).toEqual([]);
  });
});

import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectStyle, parseOsRelease, readOsRelease } from '../src/detect-style.js';
import { debianTree, testdir, writeFiles } from './helpers.js';

describe('detectStyle', () => {
  it('says BLS for a tree with loader entries (Fedora), whatever else it has', () => {
    const tree = testdir();
    debianTree(tree);
    writeFiles(tree, { 'boot/loader/entries/ffff-6.5.6-300.fc39.x86_64.conf': 'title Fedora\n' });
    expect(detectStyle(tree).style).toBe('bls');
  });

  it('says Debian for a Debian or Ubuntu os-release, or Debian-named kernels', () => {
    const debian = testdir();
    debianTree(debian, []);
    expect(detectStyle(debian)).toEqual({ style: 'debian', reason: 'os-release ID debian, no BLS entries' });
    const ubuntu = testdir();
    writeFiles(ubuntu, { 'etc/os-release': 'ID=linuxmint\nID_LIKE="ubuntu debian"\n' });
    expect(detectStyle(ubuntu).style).toBe('debian');
    const kernels = testdir();
    writeFiles(kernels, { 'boot/vmlinuz-6.1.0-56-amd64': '', 'boot/initrd.img-6.1.0-56-amd64': '' });
    expect(detectStyle(kernels).style).toBe('debian');
  });

  it('says BLS, as upstream, for an empty tree or a Fedora one without entries yet', () => {
    expect(detectStyle(testdir()).style).toBe('bls');
    const fedora = testdir();
    writeFiles(fedora, { 'usr/lib/os-release': 'ID=fedora\n', 'boot/vmlinuz-6.5.6-300.fc39.x86_64': '', 'boot/initramfs-6.5.6-300.fc39.x86_64.img': '' });
    expect(detectStyle(fedora).style).toBe('bls');
  });
});

describe('readOsRelease', () => {
  it('follows an absolute /etc/os-release link inside the tree, not to the host', () => {
    const tree = testdir();
    mkdirSync(join(tree, 'etc'));
    writeFiles(tree, { 'usr/lib/os-release': 'ID=inside\n' });
    symlinkSync('/usr/lib/os-release', join(tree, 'etc/os-release'));
    expect(readOsRelease(tree)).toEqual({ ID: 'inside' });
  });

  it('falls back to /usr/lib/os-release and parses shell quoting', () => {
    const tree = testdir();
    writeFiles(tree, { 'usr/lib/os-release': 'NAME="Debian \\"GNU\\"/Linux"\nID=\'debian\'\n# comment\nVERSION_ID=12\n' });
    expect(readOsRelease(tree)).toEqual({ NAME: 'Debian "GNU"/Linux', ID: 'debian', VERSION_ID: '12' });
    expect(parseOsRelease('')).toEqual({});
  });
});

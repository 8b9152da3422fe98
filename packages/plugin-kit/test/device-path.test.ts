import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StageArguments } from '../src/arguments.js';
import { devicePath } from '../src/device-path.js';
import { testdir } from '../src/test-dir.js';

function withDevices(devices: StageArguments['devices']): StageArguments {
  return {
    tree: '/run/osbuild/tree',
    paths: { devices: '/dev', inputs: '/run/osbuild/inputs', mounts: '/run/osbuild/mounts' },
    devices,
    inputs: {},
    mounts: {},
    options: {},
    meta: { id: 'x' },
  };
}

describe('devicePath', () => {
  it('gives the path of the named device, a block device or a regular file', () => {
    expect(devicePath(withDevices({ device: { path: '/dev/null', node: { major: 1, minor: 3 } } }), 'device', 'the device to format')).toBe('/dev/null');
    const image = join(testdir('device-path'), 'disk.img');
    writeFileSync(image, '');
    expect(devicePath(withDevices({ disk: { path: image } }), 'disk', 'the disk to partition')).toBe(image);
  });

  it('names the devices there are, and what the missing one is for', () => {
    expect(() => devicePath(withDevices({}), 'device', 'the device to format')).toThrow(
      new Error('no device named "device" (devices: none); the device to format is devices.device, e.g. an org.osbuild.loopback device'),
    );
    expect(() => devicePath(withDevices({ root: { path: '/dev/null' }, efi: { path: '/dev/zero' } }), 'disk', 'the disk to partition')).toThrow(
      new Error('no device named "disk" (devices: root, efi); the disk to partition is devices.disk, e.g. an org.osbuild.loopback device'),
    );
  });

  it('refuses a path that does not exist, and a directory', () => {
    const dir = testdir('device-path');
    const missing = join(dir, 'loop99');
    expect(() => devicePath(withDevices({ device: { path: missing } }), 'device', 'the device to format')).toThrow(
      new Error(`devices.device: ${missing} does not exist`),
    );
    mkdirSync(join(dir, 'sub'));
    expect(() => devicePath(withDevices({ root: { path: join(dir, 'sub') } }), 'root', 'the device to format')).toThrow(
      new Error(`devices.root: ${join(dir, 'sub')} is a directory, not a device`),
    );
  });
});

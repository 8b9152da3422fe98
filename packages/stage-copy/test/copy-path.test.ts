import { describe, expect, it } from 'vitest';
import type { StageArguments } from '@osbuild-ts/plugin-kit';
import { copyPath } from '../src/copy-path.js';

const args: StageArguments<unknown> = {
  tree: '/run/osbuild/tree',
  paths: { devices: '/dev', inputs: '/run/osbuild/inputs', mounts: '/run/osbuild/mounts' },
  devices: {},
  inputs: { tree: { path: '/run/osbuild/inputs/tree' } },
  mounts: { root: { path: '/run/osbuild/mounts/.' } },
  options: {},
  meta: { id: 'x' },
};

describe('copyPath', () => {
  it('resolves each scheme to its root', () => {
    expect(copyPath(args, 'tree:///etc/hosts')).toBe('/run/osbuild/tree/etc/hosts');
    expect(copyPath(args, 'input://tree/etc/hosts')).toBe('/run/osbuild/inputs/tree/etc/hosts');
    expect(copyPath(args, 'mount://root/boot')).toBe('/run/osbuild/mounts/boot');
  });

  it('turns a trailing slash into /. so cp copies the contents', () => {
    expect(copyPath(args, 'input://tree/etc/')).toBe('/run/osbuild/inputs/tree/etc/.');
    expect(copyPath(args, 'input://tree/')).toBe('/run/osbuild/inputs/tree/.');
    expect(copyPath(args, 'tree:///')).toBe('/run/osbuild/tree/.');
    expect(copyPath(args, 'mount://root/boot//')).toBe('/run/osbuild/mounts/boot/.');
  });

  it('keeps .. inside the root it names, as upstream\'s parser does', () => {
    expect(copyPath(args, 'input://tree/../../etc/')).toBe('/run/osbuild/inputs/tree/etc/.');
    expect(copyPath(args, 'tree:///a/../../b')).toBe('/run/osbuild/tree/b');
  });

  it('refuses names the stage was not given', () => {
    expect(() => copyPath(args, 'input://nope/x')).toThrow('no input named "nope"');
    expect(() => copyPath(args, 'mount://nope/x')).toThrow('no mount named "nope"');
    expect(() => copyPath(args, 'tree://host/x')).toThrow('tree:// takes no name');
  });
});

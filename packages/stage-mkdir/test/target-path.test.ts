import { describe, expect, it } from 'vitest';
import type { StageArguments } from '@osbuild-ts/plugin-kit';
import { targetPath } from '../src/target-path.js';

const args: StageArguments<unknown> = {
  tree: '/run/osbuild/tree',
  paths: { devices: '/dev', inputs: '/run/osbuild/inputs', mounts: '/run/osbuild/mounts' },
  devices: {},
  inputs: {},
  mounts: { root: { path: '/run/osbuild/mounts/.' }, efi: { path: '/run/osbuild/mounts/boot/efi' } },
  options: {},
  meta: { id: 'x' },
};

describe('targetPath', () => {
  it('resolves tree, named mounts and plain paths as every location', () => {
    expect(targetPath(args, 'tree:///etc')).toBe('/run/osbuild/tree/etc');
    expect(targetPath(args, '/etc')).toBe('/run/osbuild/tree/etc');
    expect(targetPath(args, 'mount://root/boot')).toBe('/run/osbuild/mounts/boot');
    expect(targetPath(args, 'mount://efi/EFI/debian')).toBe('/run/osbuild/mounts/boot/efi/EFI/debian');
  });

  it('takes mount:/// as a path under the mounts root, as upstream does', () => {
    expect(targetPath(args, 'mount:///boot/efi/EFI')).toBe('/run/osbuild/mounts/boot/efi/EFI');
    expect(targetPath(args, 'mount:///../x')).toBe('/run/osbuild/mounts/x');
  });

  it('refuses mount:/// without a mounts root, and names it does not have', () => {
    expect(() => targetPath({ ...args, paths: { ...args.paths, mounts: '' } }, 'mount:///x')).toThrow(
      'mount:///x: the stage was given no mounts root (paths.mounts) for a mount:/// path',
    );
    expect(() => targetPath(args, 'mount://boot/x')).toThrow('no mount named "boot" (mounts: root, efi)');
  });
});

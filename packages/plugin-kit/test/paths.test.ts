import { describe, expect, it } from 'vitest';
import { resolveLocation } from '../src/paths.js';
import type { StageArguments } from '../src/arguments.js';

const args: StageArguments = {
  tree: '/run/osbuild/tree',
  paths: { devices: '/dev', inputs: '/run/osbuild/inputs', mounts: '/run/osbuild/mounts' },
  devices: {},
  inputs: { root: { path: '/run/osbuild/inputs/root' } },
  mounts: { efi: { path: '/run/osbuild/mounts/boot/efi' } },
  options: {},
  meta: { id: 'x' },
};

describe('resolveLocation', () => {
  it('maps each scheme onto its root', () => {
    expect(resolveLocation(args, 'tree:///etc/hostname')).toBe('/run/osbuild/tree/etc/hostname');
    expect(resolveLocation(args, '/etc/hostname')).toBe('/run/osbuild/tree/etc/hostname');
    expect(resolveLocation(args, 'mount://efi/EFI')).toBe('/run/osbuild/mounts/boot/efi/EFI');
    expect(resolveLocation(args, 'input://root/')).toBe('/run/osbuild/inputs/root/');
  });

  it('refuses unknown names and paths that climb out', () => {
    expect(() => resolveLocation(args, 'mount://nope/x')).toThrow(/no mount named "nope" \(mounts: efi\)/);
    expect(() => resolveLocation(args, 'input://other/x')).toThrow(/no input named "other"/);
    expect(() => resolveLocation(args, 'tree://name/x')).toThrow(/takes no name/);
    expect(resolveLocation(args, 'tree:///a/../../etc')).toBe('/run/osbuild/tree/etc');
  });
});

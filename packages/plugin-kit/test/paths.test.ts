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

describe('refuseLinksOut', () => {
  it('passes links that stay inside and paths not made yet; refuses absolute, climbing and dangling links out, naming them', async () => {
    const { mkdirSync, mkdtempSync, symlinkSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { refuseLinksOut } = await import('../src/paths.js');
    const base = mkdtempSync(join(tmpdir(), 'refuse-links-'));
    const root = join(base, 'tree');
    mkdirSync(join(root, 'usr', 'lib'), { recursive: true });
    symlinkSync('usr/lib', join(root, 'lib'));
    symlinkSync('/etc', join(root, 'abs'));
    symlinkSync('../..', join(root, 'usr', 'up'));
    symlinkSync('/nonexistent/dir', join(root, 'dangling'));
    expect(() => refuseLinksOut(root, join(root, 'lib', 'x', 'y'), 'p')).not.toThrow();
    expect(() => refuseLinksOut(root, join(root, 'new', 'dir'), 'p')).not.toThrow();
    expect(() => refuseLinksOut(root, join(root, 'abs', 'x'), 'tree:///abs/x')).toThrow(`tree:///abs/x: refused: abs is a symlink to /etc, which leads out of ${root}; nothing was written through it`);
    expect(() => refuseLinksOut(root, join(root, 'usr', 'up', 'x'), 'm')).toThrow('m: refused: usr/up is a symlink to ../..');
    expect(() => refuseLinksOut(root, join(root, 'dangling', 'x'), 'd')).toThrow('d: refused: dangling is a symlink to /nonexistent/dir');
  });

  it('warns when .. climbs above a location root (osbuild clamps it)', () => {
    const writes: string[] = [];
    const original = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => (writes.push(chunk), true)) as typeof process.stdout.write;
    try {
      expect(resolveLocation(args, 'tree:///../../etc')).toBe('/run/osbuild/tree/etc');
      expect(resolveLocation(args, 'tree:///a/../etc')).toBe('/run/osbuild/tree/etc');
    } finally {
      process.stdout.write = original;
    }
    expect(writes).toEqual(['WARNING: tree:///../../etc: ".." above the root of the location is ignored; using /run/osbuild/tree/etc\n']);
  });
});

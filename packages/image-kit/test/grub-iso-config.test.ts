// The ISO grub.cfg templates against upstream's own stages: where the
// upstream snapshot and python3 are on this machine, their main() writes
// grub.cfg for the same options and the two must be the same text.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testdir } from '@osbuild-ts/plugin-kit/testing';
import { grubIsoConfig, safeSubstitute, type GrubIsoOptions } from '../src/grub-iso-config.js';

const UPSTREAM = process.env['OSBUILD_UPSTREAM'] ?? '/work/upstream-osbuild';
const python = ['/usr/bin/python3'].find((p) => existsSync(p));
const haveUpstream = python !== undefined && existsSync(join(UPSTREAM, 'stages', 'org.osbuild.grub2.iso'));

/** Runs upstream's stage main(root, options) on a scratch root and returns the grub.cfg it wrote. */
function upstreamConfig(stage: string, options: GrubIsoOptions & Record<string, unknown>, cfg: string): string {
  const root = testdir('grub-iso-upstream');
  const script = `
import importlib.machinery, importlib.util, json, sys
loader = importlib.machinery.SourceFileLoader("stage", sys.argv[1])
spec = importlib.util.spec_from_loader("stage", loader)
mod = importlib.util.module_from_spec(spec)
loader.exec_module(mod)
mod.main(sys.argv[2], json.loads(sys.argv[3]))
`;
  execFileSync(python as string, ['-c', script, join(UPSTREAM, 'stages', stage), root, JSON.stringify(options)], { env: { ...process.env, PYTHONPATH: UPSTREAM }, stdio: 'pipe' });
  return readFileSync(join(root, cfg), 'utf8');
}

const cases: GrubIsoOptions[] = [
  { product: { name: 'Fedora', version: '40' }, isolabel: 'Fedora-40', kernel: { dir: '/images/pxeboot', opts: ['inst.stage2=hd:LABEL=Fedora-40'] } },
  {
    product: { name: 'Debian', version: '12' },
    isolabel: 'DEBIAN_LIVE',
    kernel: { dir: '/live/', opts: ['console=ttyS0'] },
    fips: true,
    test: false,
    install: false,
    troubleshooting: false,
    custom: [{ name: 'Live ${product}', linux: '/live/vmlinuz boot=live ${root}', initrd: '/live/initrd.img' }],
    config: { timeout: 1, default: 0 },
  },
];

describe('safeSubstitute', () => {
  it('is Python string.Template.safe_substitute', () => {
    expect(safeSubstitute('$a ${b} $$c $missing ${missing} $', { a: 1, b: 'x' })).toBe('1 x $c $missing ${missing} $');
  });
});

describe.skipIf(!haveUpstream)('grubIsoConfig, against upstream\'s stages', () => {
  it.each(cases)('writes org.osbuild.grub2.iso\'s EFI grub.cfg ($isolabel)', (options) => {
    expect(grubIsoConfig(options, 'efi')).toBe(upstreamConfig('org.osbuild.grub2.iso', { ...options, architectures: [], vendor: 'fedora' }, 'EFI/BOOT/grub.cfg'));
  });

  it.skipIf(!existsSync('/usr/lib/grub/i386-pc')).each(cases)('writes org.osbuild.grub2.iso.legacy\'s BIOS grub.cfg ($isolabel)', (options) => {
    expect(grubIsoConfig(options, 'bios')).toBe(upstreamConfig('org.osbuild.grub2.iso.legacy', options as GrubIsoOptions & Record<string, unknown>, 'boot/grub2/grub.cfg'));
  });
});

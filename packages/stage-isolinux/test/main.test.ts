// The stage on data trees laid out as Debian's and Fedora's packages lay
// them out (the files copied from this machine's isolinux and
// syslinux-common), and isolinux.cfg against upstream's own stage.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, copyFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStageLocally, testdir } from '@osbuild-ts/plugin-kit/testing';
import { resolveInTree } from '../src/data-files.js';

const entry = join(import.meta.dirname, '..', 'dist', 'main.js');
const ISOLINUX = '/usr/lib/ISOLINUX';
const BIOS = '/usr/lib/syslinux/modules/bios';
const C32 = ['ldlinux.c32', 'libcom32.c32', 'libutil.c32', 'vesamenu.c32'];
const unavailable = existsSync(join(ISOLINUX, 'isolinux.bin')) && C32.every((f) => existsSync(join(BIOS, f))) ? null : 'needs isolinux and syslinux-common';
const UPSTREAM = process.env['OSBUILD_UPSTREAM'] ?? '/work/upstream-osbuild';

function debianData(): string {
  const data = testdir('isolinux-data');
  mkdirSync(join(data, 'usr/lib/ISOLINUX'), { recursive: true });
  mkdirSync(join(data, 'usr/lib/syslinux/modules/bios'), { recursive: true });
  copyFileSync(join(ISOLINUX, 'isolinux.bin'), join(data, 'usr/lib/ISOLINUX/isolinux.bin'));
  for (const f of C32) copyFileSync(join(BIOS, f), join(data, 'usr/lib/syslinux/modules/bios', f));
  return data;
}

function fedoraData(): string {
  const data = testdir('isolinux-data');
  mkdirSync(join(data, 'usr/share/syslinux'), { recursive: true });
  mkdirSync(join(data, 'usr/share/anaconda/boot'), { recursive: true });
  copyFileSync(join(ISOLINUX, 'isolinux.bin'), join(data, 'usr/share/syslinux/isolinux.bin'));
  for (const f of C32) copyFileSync(join(BIOS, f), join(data, 'usr/share/syslinux', f));
  writeFileSync(join(data, 'usr/share/anaconda/boot/syslinux-splash.png'), 'png');
  return data;
}

/** A tree with a Debian-style kernel: versioned files, relative symlinks to them. */
function treeWithKernel(dir = 'live'): string {
  const tree = testdir('isolinux-tree');
  mkdirSync(join(tree, dir, 'boot'), { recursive: true });
  writeFileSync(join(tree, dir, 'boot/vmlinuz-6.1.0-1-amd64'), 'kernel');
  writeFileSync(join(tree, dir, 'boot/initrd.img-6.1.0-1-amd64'), 'initrd');
  symlinkSync('boot/vmlinuz-6.1.0-1-amd64', join(tree, dir, 'vmlinuz'));
  symlinkSync(`/${dir}/boot/initrd.img-6.1.0-1-amd64`, join(tree, dir, 'initrd.img'));
  return tree;
}

const OPTIONS = { product: { name: 'Debian', version: '12' }, kernel: { dir: '/live', opts: ['boot=live', 'console=ttyS0'] }, fips: true };

describe('resolveInTree', () => {
  it('follows relative and absolute links inside the tree', () => {
    const tree = treeWithKernel();
    expect(resolveInTree(tree, '/live/vmlinuz')).toBe(join(tree, 'live/boot/vmlinuz-6.1.0-1-amd64'));
    expect(resolveInTree(tree, 'live/initrd.img')).toBe(join(tree, 'live/boot/initrd.img-6.1.0-1-amd64'));
    expect(() => resolveInTree(tree, '/live/nothing')).toThrow(/\/live\/nothing is not in the tree/);
  });
});

describe.skipIf(unavailable !== null)(`org.osbuild.isolinux${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  it('installs ISOLINUX from a Debian data tree, the menu and the kernel', async () => {
    const tree = treeWithKernel();
    const result = await runStageLocally({ entry, tree, inputs: { data: { path: debianData() } }, options: OPTIONS });
    expect(result.exitCode, result.output).toBe(0);
    expect(result.output).toMatch(/no \/usr\/share\/anaconda\/boot\/syslinux-splash\.png/);
    const dir = join(tree, 'isolinux');
    expect(execFileSync('ls', [dir], { encoding: 'utf8' }).trim().split('\n')).toEqual(['initrd.img', 'isolinux.bin', 'isolinux.cfg', 'ldlinux.c32', 'libcom32.c32', 'libutil.c32', 'vesamenu.c32', 'vmlinuz']);
    expect(readFileSync(join(dir, 'isolinux.bin')).equals(readFileSync(join(ISOLINUX, 'isolinux.bin')))).toBe(true);
    expect(statSync(join(dir, 'ldlinux.c32')).mode & 0o777).toBe(0o755);
    // Hard links to the kernel's files, not copies of the links.
    expect(statSync(join(dir, 'vmlinuz')).ino).toBe(statSync(join(tree, 'live/boot/vmlinuz-6.1.0-1-amd64')).ino);
    expect(readFileSync(join(dir, 'initrd.img'), 'utf8')).toBe('initrd');
    const cfg = readFileSync(join(dir, 'isolinux.cfg'), 'utf8');
    expect(cfg).toContain('append initrd=initrd.img boot=live console=ttyS0 quiet fips=1');
    expect(cfg).toContain('menu title Debian 12');
  });

  it('reads Fedora\'s layout, with the splash, and writes upstream\'s isolinux.cfg', async () => {
    const data = fedoraData();
    const tree = treeWithKernel('images/pxeboot');
    const options = { product: { name: 'Fedora', version: '40' }, kernel: { dir: '/images/pxeboot', opts: ['inst.stage2=hd:LABEL=F40'] } };
    const result = await runStageLocally({ entry, tree, inputs: { data: { path: data } }, options });
    expect(result.exitCode, result.output).toBe(0);
    expect(readFileSync(join(tree, 'isolinux/splash.png'), 'utf8')).toBe('png');
    if (existsSync('/usr/bin/python3') && existsSync(join(UPSTREAM, 'stages/org.osbuild.isolinux'))) {
      const theirs = testdir('isolinux-upstream');
      mkdirSync(join(theirs, 'images/pxeboot'), { recursive: true });
      writeFileSync(join(theirs, 'images/pxeboot/vmlinuz'), 'k');
      writeFileSync(join(theirs, 'images/pxeboot/initrd.img'), 'i');
      const script = `
import importlib.machinery, importlib.util, json, sys
loader = importlib.machinery.SourceFileLoader("stage", sys.argv[1])
spec = importlib.util.spec_from_loader("stage", loader)
mod = importlib.util.module_from_spec(spec)
loader.exec_module(mod)
mod.main(sys.argv[2], {"data": {"path": sys.argv[3]}}, json.loads(sys.argv[4]))
`;
      execFileSync('/usr/bin/python3', ['-c', script, join(UPSTREAM, 'stages/org.osbuild.isolinux'), theirs, data, JSON.stringify(options)], { env: { ...process.env, PYTHONPATH: UPSTREAM } });
      expect(readFileSync(join(tree, 'isolinux/isolinux.cfg'), 'utf8')).toBe(readFileSync(join(theirs, 'isolinux/isolinux.cfg'), 'utf8'));
    }
  });

  it('names what the data tree lacks before writing anything', async () => {
    const tree = treeWithKernel();
    const result = await runStageLocally({ entry, tree, inputs: { data: { path: testdir('isolinux-nothing') } }, options: OPTIONS });
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toMatch(/input data: no isolinux\.bin \(looked for \/usr\/share\/syslinux\/isolinux\.bin, \/usr\/lib\/ISOLINUX\/isolinux\.bin; Debian: packages isolinux and syslinux-common\)/);
    expect(existsSync(join(tree, 'isolinux'))).toBe(false);
  });
});

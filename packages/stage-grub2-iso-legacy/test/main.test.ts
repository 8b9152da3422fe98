// The stage with this machine as build root: grub's i386-pc modules copied
// into the tree, and the BIOS grub.cfg.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { grubIsoConfig } from '@osbuild-ts/image-kit';
import { runStageLocally, testdir } from '@osbuild-ts/plugin-kit/testing';

const entry = join(import.meta.dirname, '..', 'dist', 'main.js');
const MODULES = '/usr/lib/grub/i386-pc';
const unavailable = existsSync(join(MODULES, 'normal.mod')) ? null : 'needs grub-pc-bin';
const OPTIONS = { product: { name: 'Debian', version: '12' }, isolabel: 'DEBIAN_LIVE', kernel: { dir: '/live', opts: ['boot=live'] }, config: { timeout: 3, default: 1 } };

describe.skipIf(unavailable !== null)(`org.osbuild.grub2.iso.legacy${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  it('copies the platform\'s modules into grub2dir and writes grub.cfg there', async () => {
    const tree = testdir('grub2-iso-legacy');
    const result = await runStageLocally({ entry, tree, options: { ...OPTIONS, grub2dir: '' } });
    expect(result.exitCode, result.output).toBe(0);
    expect(readdirSync(join(tree, 'boot/grub2/i386-pc')).sort()).toEqual(readdirSync(MODULES).sort());
    expect(readFileSync(join(tree, 'boot/grub2/i386-pc/normal.mod')).equals(readFileSync(join(MODULES, 'normal.mod')))).toBe(true);
    const cfg = readFileSync(join(tree, 'boot/grub2/grub.cfg'), 'utf8');
    expect(cfg).toBe(grubIsoConfig(OPTIONS, 'bios'));
    expect(cfg).toMatch(/^set default="1"\n/);
    expect(cfg).toContain('chainloader (hd0)+1');
  });

  it('writes into another grub2dir, and names a platform the build root lacks', async () => {
    const tree = testdir('grub2-iso-legacy');
    expect((await runStageLocally({ entry, tree, options: { ...OPTIONS, grub2dir: 'boot/grub' } })).exitCode).toBe(0);
    expect(existsSync(join(tree, 'boot/grub/grub.cfg'))).toBe(true);
    if (existsSync('/usr/lib/grub/powerpc-ieee1275')) return;
    const ppc = await runStageLocally({ entry, tree: testdir('grub2-iso-legacy'), options: { ...OPTIONS, platform: 'powerpc-ieee1275' } });
    expect(ppc.exitCode).not.toBe(0);
    expect(ppc.output).toMatch(/platform powerpc-ieee1275: \/usr\/lib\/grub\/powerpc-ieee1275 is missing from the build root/);
  });
});

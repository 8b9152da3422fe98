import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStageLocally, skipReason } from '@osbuild-ts/plugin-kit/testing';
import { entry, itMatchesEachDataCase, runOnCopy, testdir, unavailable, useTreeBefore } from './stage-cases.js';

const skip = skipReason(unavailable([]));

describe.skipIf(skip !== null)(`org.osbuild.fstab${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const before = useTreeBefore();

  itMatchesEachDataCase(before);
});

function tree(): string {
  const root = testdir('fstab');
  mkdirSync(join(root, 'etc'));
  return root;
}

describe('org.osbuild.fstab', () => {
  it('writes the lines upstream writes, replacing the old file', async () => {
    const root = tree();
    writeFileSync(join(root, 'etc/fstab'), 'old entries\n');
    const options = JSON.parse(readFileSync(join(import.meta.dirname, 'data/filesystems/options.json'), 'utf8')) as Record<string, unknown>;
    const result = await runStageLocally({ entry, tree: root, options });
    expect(result.exitCode, result.output).toBe(0);
    expect(readFileSync(join(root, 'etc/fstab'), 'utf8')).toBe(
      'UUID=76a22bf4-f153-4541-b6c7-0332c0dfaeac\t/\text4\tdefaults\t1\t1\n' +
        'LABEL=boot\t/boot\text4\tdefaults\t0\t2\n' +
        'PARTLABEL=ESP\t/boot/efi\tvfat\tumask=0077,shortname=winnt\t0\t0\n' +
        '/dev/vdb1\tnone\tswap\tdefaults\t0\t0\n',
    );
  });

  it('writes an empty file for no filesystems', async () => {
    const root = tree();
    const result = await runStageLocally({ entry, tree: root, options: { filesystems: [] } });
    expect(result.exitCode, result.output).toBe(0);
    expect(readFileSync(join(root, 'etc/fstab'), 'utf8')).toBe('');
  });

  it('fails on a filesystem with no way to name it', async () => {
    const root = tree();
    const result = await runStageLocally({ entry, tree: root, options: { filesystems: [{ path: '/', uuid: '' }] } });
    expect(result.exitCode).toBe(1);
    expect(result.output).toBe('filesystems[0] (/): needs one of uuid, label, partlabel or device\n');
  });

  describe('in an ostree deployment', () => {
    /**
     * A stand-in for the build root's ostree: `rev-parse REF --repo=R` (R
     * checked) resolves the ref fedora/x86_64/iot to c0ffee and prints any
     * other, like a commit id, as it is.
     */
    function fakeOstree(root: string): string {
      const bin = testdir('fstab-bin');
      writeFileSync(
        join(bin, 'ostree'),
        `#!/bin/sh
[ "$1" = rev-parse ] && [ "$3" = "--repo=${root}/ostree/repo" ] || { echo "unexpected: $*"; exit 1; }
case "$2" in fedora/x86_64/iot) echo c0ffee ;; *) echo "$2" ;; esac
`,
      );
      chmodSync(join(bin, 'ostree'), 0o755);
      return `${bin}:/usr/bin`;
    }

    function deployment(root: string, osname: string, name: string): string {
      const dir = join(root, 'ostree/deploy', osname, 'deploy', name);
      mkdirSync(join(dir, 'etc'), { recursive: true });
      return dir;
    }

    const filesystems = [{ label: 'root', path: '/' }];

    it("writes the named deployment's /etc/fstab, the ref resolved by ostree", async () => {
      const root = tree();
      const target = deployment(root, 'fedora', 'c0ffee.1');
      const options = { filesystems, ostree: { deployment: { osname: 'fedora', ref: 'fedora/x86_64/iot', serial: 1 } } };
      const result = await runStageLocally({ entry, tree: root, options, env: { PATH: fakeOstree(root) } });
      expect(result.exitCode, result.output).toBe(0);
      expect(result.output).toBe(`ostree support active: ${target}\n`);
      expect(readFileSync(join(target, 'etc/fstab'), 'utf8')).toBe('LABEL=root\t/\tnone\tdefaults\t0\t0\n');
      expect(existsSync(join(root, 'etc/fstab'))).toBe(false);
    });

    it('finds the one deployment with serial 0 for default: true', async () => {
      const root = tree();
      const target = deployment(root, 'debian', 'abc123.0');
      deployment(root, 'debian', 'abc123.1');
      const options = { filesystems, ostree: { deployment: { default: true } } };
      const result = await runStageLocally({ entry, tree: root, options, env: { PATH: fakeOstree(root) } });
      expect(result.exitCode, result.output).toBe(0);
      expect(readFileSync(join(target, 'etc/fstab'), 'utf8')).toBe('LABEL=root\t/\tnone\tdefaults\t0\t0\n');
    });

    it('refuses no default deployment and more than one', async () => {
      const options = { filesystems, ostree: { deployment: { default: true } } };
      const none = tree();
      const missing = await runStageLocally({ entry, tree: none, options, env: { PATH: fakeOstree(none) } });
      expect(missing.exitCode).toBe(1);
      expect(missing.output).toBe('ostree: could not find a deployment (ostree/deploy/*/deploy/*.0)\n');
      const two = tree();
      deployment(two, 'a', 'c1.0');
      deployment(two, 'b', 'c2.0');
      const result = await runStageLocally({ entry, tree: two, options, env: { PATH: fakeOstree(two) } });
      expect(result.exitCode).toBe(1);
      expect(result.output).toBe('ostree: more than one deployment found: ostree/deploy/a/deploy/c1.0, ostree/deploy/b/deploy/c2.0\n');
    });

    it('fails naming ostree and its package when the build root lacks it', async () => {
      const root = tree();
      deployment(root, 'os', 'abc.0');
      const options = { filesystems: [], ostree: { deployment: { default: true } } };
      const result = await runStageLocally({ entry, tree: root, options, env: { PATH: '/nonexistent' } });
      expect(result.exitCode).toBe(1);
      expect(result.output).toBe('ostree is not in the build root (searched /nonexistent); it comes with the package "ostree"\n');
    });
  });
});

import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { hasCommand, loopDevicesUnavailable, richTree, runStageLocally, treeListing } from '@osbuild-ts/plugin-kit/testing';

const entry = join(import.meta.dirname, '..', 'dist', 'main.js');
const UUID = '9c6ae55b-cf88-45b8-84e8-64990759f39d';
const EPOCH = 1_700_000_000;
const MiB = 1024 * 1024;
const SIZE = { ext4: 64 * MiB, xfs: 320 * MiB, btrfs: 128 * MiB } as const;
type FsType = keyof typeof SIZE;

/** Scratch space on disk: images are sparse but large. */
function testdir(prefix: string): string {
  const dir = mkdtempSync(join('/var/tmp', `osbuild-ts-rawfs-${prefix}-`));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function assemble(tree: string, fs_type: FsType, sourceEpoch: number | undefined = EPOCH) {
  const output = testdir('output');
  const options = { filename: 'root.img', root_fs_uuid: UUID, size: SIZE[fs_type], fs_type };
  const result = await runStageLocally({ entry, tree: output, inputs: { tree: { path: tree } }, options, ...(sourceEpoch !== undefined ? { sourceEpoch } : {}) });
  expect(result.exitCode, result.output).toBe(0);
  return join(output, 'root.img');
}

const FSCK: Record<FsType, string[]> = {
  ext4: ['e2fsck', '-fn'],
  xfs: ['xfs_repair', '-n'],
  btrfs: ['btrfs', 'check'],
};

function mounted(file: string, type: FsType): string {
  const dir = testdir('mnt');
  execFileSync('mount', ['-t', type, '-o', 'loop,ro', file, dir]);
  onTestFinished(() => {
    execFileSync('umount', [dir]);
  });
  return dir;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const tools: Record<FsType, string> = { ext4: 'mkfs.ext4', xfs: 'mkfs.xfs', btrfs: 'mkfs.btrfs' };

describe('org.osbuild.rawfs', () => {
  for (const type of ['ext4', 'xfs', 'btrfs'] as const) {
    it.skipIf(!hasCommand(tools[type]) || loopDevicesUnavailable() !== null)(`${type}: passes fsck, carries the UUID and holds the tree`, async () => {
      const tree = richTree(testdir('tree'));
      // A protofile cannot name files with white space (see image-kit).
      if (type === 'xfs') renameSync(join(tree, 'etc/app/config file'), join(tree, 'etc/app/config_file'));
      const image = await assemble(tree, type);
      const fsck = spawnSync(FSCK[type][0]!, [...FSCK[type].slice(1), image], { encoding: 'utf8' });
      expect(fsck.status, `${fsck.stdout}\n${fsck.stderr}`).toBe(0);
      expect(execFileSync('blkid', ['-p', '-s', 'UUID', '-s', 'TYPE', '-o', 'export', image], { encoding: 'utf8' })).toMatch(new RegExp(`UUID=${UUID}\\nTYPE=${type}`));
      const root = mounted(image, type);
      // A protofile cannot carry xattrs or hard links: xfs gets neither (see image-kit).
      const options = type === 'xfs' ? { mtime: false, ignoreXattr: /./ } : { mtime: false, ignoreXattr: /^security\.selinux$/ };
      const strip = (lines: string[]) =>
        lines
          .filter((l) => !l.startsWith('lost+found'))
          .map((l) => (type === 'xfs' ? l.replace(/ link=\S+/, '') : l))
          // bookworm's mkfs.btrfs --rootdir (btrfs-progs 6.2) writes device nodes with device number 0,0.
          .map((l) => (type === 'btrfs' ? l.replace(/^(\S+ [bc] \d+ \d+:\d+) \d+,\d+/, '$1 ?') : l));
      expect(strip(treeListing(root, options))).toEqual(strip(treeListing(tree, options)));
    });
  }

  for (const type of ['ext4', 'xfs'] as const) {
    it.skipIf(!hasCommand(tools[type]))(`${type}: two copies of a tree made at different times give the same image with a source epoch`, async () => {
      const a = richTree(testdir('tree-a'));
      if (type === 'xfs') renameSync(join(a, 'etc/app/config file'), join(a, 'etc/app/config_file'));
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const b = join(testdir('tree-b'), 'tree');
      execFileSync('cp', ['-a', a, b]);
      const first = await assemble(a, type);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const second = await assemble(b, type);
      expect(sha256(second)).toBe(sha256(first));
    });
  }

  it('fails clearly when the tree does not fit', async () => {
    const tree = richTree(testdir('tree'));
    execFileSync('dd', ['if=/dev/urandom', `of=${join(tree, 'big')}`, 'bs=1M', 'count=8', 'status=none']);
    const output = testdir('output');
    const result = await runStageLocally({ entry, tree: output, inputs: { tree: { path: tree } }, options: { filename: 'r.img', root_fs_uuid: UUID, size: 4 * MiB } });
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain('ext4 image of 4194304 bytes:');
  });
});

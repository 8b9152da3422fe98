import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, readFileSync, readlinkSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasCommand } from '@osbuild-ts/plugin-kit/testing';
import { BIOS_BOOT, ESP_TYPE, ESP_UUID, LINUX_TYPE, MiB, PTUUID_GPT, ROOT_UUID, assembleTree, extractRange, run, sampleTree, sha256, testdir, treeState } from './helpers.js';

const BOOT_UUID = '156f0420-627b-4151-ae6f-fda298097515';

/** Root of `rootType`, /boot ext4, /boot/efi vfat: three file systems nested in each other. */
function nestedOptions(rootType: string): Record<string, unknown> {
  return {
    format: 'raw',
    filename: 'disk.raw',
    size: 512 * MiB,
    ptuuid: PTUUID_GPT,
    pttype: 'gpt',
    partitions: [
      { start: 2048, size: 2048, type: BIOS_BOOT },
      { start: 4096, size: 65536, type: ESP_TYPE, filesystem: { type: 'vfat', uuid: ESP_UUID, label: 'ESP', mountpoint: '/boot/efi' } },
      { start: 69632, size: 131072, type: LINUX_TYPE, filesystem: { type: 'ext4', uuid: BOOT_UUID, label: 'boot', mountpoint: '/boot' } },
      { start: 200704, type: LINUX_TYPE, filesystem: { type: rootType, uuid: ROOT_UUID, label: 'root', mountpoint: '/' } },
    ],
  };
}

/** Assembles the sample tree with that layout; returns each partition extracted to its own file. */
async function assembleNested(rootType: string) {
  const tree = testdir('tree-');
  sampleTree(tree);
  const before = treeState(tree);
  const { result, file, output } = await assembleTree(tree, nestedOptions(rootType), { SOURCE_DATE_EPOCH: '1700000000' });
  expect(result.exitCode, result.output).toBe(0);
  // The tree is only read: same content, modes, owners, mtimes and ctimes.
  expect(treeState(tree)).toBe(before);
  // Only the image is left in the output directory.
  expect(readdirSync(output)).toEqual(['disk.raw']);
  const parts = (JSON.parse(execFileSync('sfdisk', ['--json', file], { encoding: 'utf8' })) as { partitiontable: { partitions: { start: number; size: number }[] } }).partitiontable.partitions;
  const dir = testdir('parts-');
  const extract = (i: number) => extractRange(file, (parts[i]?.start ?? 0) * 512, (parts[i]?.size ?? 0) * 512, join(dir, `p${i + 1}`));
  return { tree, file, esp: extract(1), boot: extract(2), root: extract(3) };
}

/** debugfs `ls -l` of a directory: name → mode (octal text), uid, gid, size, inode. */
function ext4List(device: string, dir: string): Record<string, { ino: number; mode: string; uid: number; gid: number; size: number }> {
  const out = execFileSync('debugfs', ['-R', `ls -l ${dir}`, device], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const entries: Record<string, { ino: number; mode: string; uid: number; gid: number; size: number }> = {};
  for (const line of out.split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s+\(\d+\)\s+(\d+)\s+(\d+)\s+(\d+)\s+\S+\s+\S+\s+(.+?)\s*$/.exec(line);
    if (m) entries[m[6] as string] = { ino: Number(m[1]), mode: m[2] as string, uid: Number(m[3]), gid: Number(m[4]), size: Number(m[5]) };
  }
  return entries;
}

function ext4Cat(device: string, path: string): string {
  return execFileSync('debugfs', ['-R', `cat ${path}`, device], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * MiB });
}

function checkEsp(esp: string): void {
  const fsck = run('fsck.vfat', ['-n', esp]);
  expect(fsck.status, fsck.output).toBe(0);
  const env = { ...process.env, MTOOLS_SKIP_CHECK: '1', MTOOLSRC: '/dev/null' };
  expect(execFileSync('mtype', ['-i', esp, '::/EFI/sample/grub.cfg'], { encoding: 'utf8', env })).toBe('configfile (hd0,gpt3)/boot/grub/grub.cfg\n');
  expect(execFileSync('mtype', ['-i', esp, '::/EFI/sample/long name with spaces.txt'], { encoding: 'utf8', env })).toBe('FAT keeps long names\n');
  expect(execFileSync('blkid', ['-o', 'export', esp], { encoding: 'utf8' })).toMatch(new RegExp(`UUID=${ESP_UUID}\\nBLOCK_SIZE=512\\nTYPE=vfat|UUID=${ESP_UUID}`));
}

function checkBoot(boot: string): void {
  const fsck = run('e2fsck', ['-fn', boot]);
  expect(fsck.status, fsck.output).toBe(0);
  const top = ext4List(boot, '/');
  expect(Object.keys(top).sort()).toEqual(['.', '..', 'efi', 'grub', 'lost+found']);
  // The ESP's mount point stays, empty: its content is on the ESP.
  expect(Object.keys(ext4List(boot, '/efi')).sort()).toEqual(['.', '..']);
  expect(ext4Cat(boot, '/grub/grub.cfg')).toBe('set timeout=0\n');
}

describe('file systems, each with its part of the tree, nothing mounted', () => {
  it('ext4 root, ext4 /boot, vfat /boot/efi', async () => {
    const { root, boot, esp } = await assembleNested('ext4');
    checkEsp(esp);
    checkBoot(boot);
    const fsck = run('e2fsck', ['-fn', root]);
    expect(fsck.status, fsck.output).toBe(0);
    expect(execFileSync('blkid', ['-s', 'UUID', '-s', 'LABEL', '-o', 'export', root], { encoding: 'utf8' })).toContain(`UUID=${ROOT_UUID}`);
    expect(Object.keys(ext4List(root, '/boot')).sort()).toEqual(['.', '..']);
    const etc = ext4List(root, '/etc');
    expect(etc['null']?.mode).toBe('20644');
    expect(etc['fifo']?.mode).toBe('10644');
    expect(etc['tool-link']?.mode).toBe('120777');
    expect(ext4List(root, '/')['tmp']?.mode).toBe('41777');
    const bin = ext4List(root, '/usr/bin');
    expect(bin['su']?.mode).toBe('104755');
    expect(bin['tool-hard']?.ino).toBe(bin['tool']?.ino);
    expect(ext4List(root, '/home/user')['notes.txt']).toMatchObject({ mode: '100600', uid: 1000, gid: 1000 });
    expect(ext4Cat(root, '/etc/hostname')).toBe('sample\n');
    expect(sha256(ext4Cat(root, '/usr/share/data/big.bin'))).toBe(sha256(Buffer.alloc(3 * MiB + 17, 7)));
    const stat = execFileSync('debugfs', ['-R', 'stat /etc/dangling', root], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(stat).toContain('Fast link dest: "/nowhere/at/all"');
    expect(stat).toMatch(/mtime: 0x5f5e1000/); // the tree's mtime, 1600000000
    expect(stat).toMatch(/ctime: 0x6553f100/); // the source epoch, not this host's ctime
  });

  it.skipIf(!hasCommand('mkfs.xfs') || !hasCommand('xfs_db'))('xfs root from a protofile, times and the sticky bit set with xfs_db', async () => {
    const { root, boot, esp } = await assembleNested('xfs');
    checkEsp(esp);
    checkBoot(boot);
    const repair = run('xfs_repair', ['-n', '-f', root]);
    expect(repair.status, repair.output).toBe(0);
    const print = (path: string, fields: string) => execFileSync('xfs_db', ['-r', '-c', `path ${path}`, '-c', `print ${fields}`, root], { encoding: 'utf8' });
    expect(print('/tmp', 'core.mode')).toBe('core.mode = 041777\n');
    expect(print('/usr/bin/su', 'core.mode')).toBe('core.mode = 0104755\n');
    expect(print('/home/user/notes.txt', 'core.mode core.uid core.gid core.size')).toBe('core.mode = 0100600\ncore.uid = 1000\ncore.gid = 1000\ncore.size = 14\n');
    expect(print('/etc/null', 'core.mode')).toBe('core.mode = 020644\n');
    expect(print('/etc/hostname', 'core.mtime.sec')).toContain('2020'); // 1600000000, Sep 2020: the tree's mtime
    expect(print('/etc/hostname', 'core.ctime.sec')).toContain('2023'); // the source epoch 1700000000
    expect(execFileSync('xfs_db', ['-r', '-c', 'ls /boot', root], { encoding: 'utf8' }).trim().split('\n').length).toBe(3); // "/boot:", ".", ".."
  });

  it.skipIf(!hasCommand('mkfs.btrfs') || !hasCommand('btrfs'))('btrfs root from --rootdir, nested mount points left out', async () => {
    const { tree, root, boot, esp } = await assembleNested('btrfs');
    checkEsp(esp);
    checkBoot(boot);
    const check = run('btrfs', ['check', '--readonly', root]);
    expect(check.status, check.output).toBe(0);
    const restored = testdir('restore-');
    mkdirSync(join(restored, 'r'));
    execFileSync('btrfs', ['restore', '-S', '-m', root, join(restored, 'r')], { stdio: 'ignore' });
    const r = join(restored, 'r');
    expect(readdirSync(join(r, 'boot'))).toEqual([]);
    expect(readFileSync(join(r, 'etc/hostname'), 'utf8')).toBe('sample\n');
    expect(sha256(readFileSync(join(r, 'usr/share/data/big.bin')))).toBe(sha256(readFileSync(join(tree, 'usr/share/data/big.bin'))));
    expect(readlinkSync(join(r, 'etc/tool-link'))).toBe('../usr/bin/tool');
    expect(lstatSync(join(r, 'usr/bin/su')).mode & 0o7777).toBe(0o4755);
    expect(lstatSync(join(r, 'home/user/notes.txt')).uid).toBe(1000);
  });

  it('makes a mount point the tree lacks, as mounting there would have', async () => {
    const tree = testdir('tree-');
    sampleTree(tree, { specials: false });
    rmSync(join(tree, 'boot'), { recursive: true });
    const options = nestedOptions('ext4');
    // No /boot file system: the ESP is mounted straight below the root.
    options['partitions'] = (options['partitions'] as { filesystem?: { mountpoint: string } }[]).filter((p) => p.filesystem?.mountpoint !== '/boot');
    const { result, file } = await assembleTree(tree, options);
    expect(result.exitCode, result.output).toBe(0);
    const parts = (JSON.parse(execFileSync('sfdisk', ['--json', file], { encoding: 'utf8' })) as { partitiontable: { partitions: { start: number; size: number }[] } }).partitiontable.partitions;
    const root = extractRange(file, (parts[2]?.start ?? 0) * 512, (parts[2]?.size ?? 0) * 512, join(testdir('parts-'), 'root'));
    expect(ext4List(root, '/')['boot']?.mode).toBe('40755');
    expect(Object.keys(ext4List(root, '/boot')).sort()).toEqual(['.', '..', 'efi']);
    expect(run('e2fsck', ['-fn', root]).status).toBe(0);
  });
});

import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deviceArgument, hasCommand, loopDevicesUnavailable, runStageLocally, useLoopDevices, skipReason } from '@osbuild-ts/plugin-kit/testing';
import { MiB, copyOut, entry, espOnLoop, listFat, listHost, testdir, write } from './helpers.js';

const unavailable = skipReason(loopDevicesUnavailable() ?? (hasCommand('mcopy') && hasCommand('mkfs.fat') ? null : 'needs mtools and dosfstools'));
const EPOCH = 1_700_000_000;

/** An ESP's worth of files: nested directories, a long name, a big file, one newer than the epoch. */
function espTree(root: string): void {
  write(root, 'boot/efi/EFI/debian/grub.cfg', 'configfile (hd0,gpt2)/boot/grub/grub.cfg\n', 1_600_000_000);
  write(root, 'boot/efi/EFI/debian/fonts/unicode.pf2', Buffer.alloc(300_000, 5), 1_600_000_100);
  write(root, 'boot/efi/EFI/BOOT/BOOTX64.EFI', Buffer.alloc(2 * MiB + 3, 0xcc), 1_650_000_000);
  write(root, 'boot/efi/EFI/Linux/A long name, with spaces.txt', 'FAT keeps long names\n', 1_600_000_200);
  // Newer than the epoch: goes onto the file system with the epoch's time.
  write(root, 'boot/efi/loader/new.conf', 'timeout 0\n', EPOCH + 86_400);
  for (const [dir, time] of [['boot/efi/EFI/debian/fonts', 1_600_000_300], ['boot/efi/EFI/debian', 1_600_000_400], ['boot/efi/EFI/BOOT', 1_600_000_500], ['boot/efi/EFI/Linux', 1_600_000_600], ['boot/efi/EFI', 1_600_000_700], ['boot/efi/loader', EPOCH + 100]] as const) {
    execFileSync('touch', ['-h', '-d', `@${time}`, join(root, dir)]);
  }
}

/** mtime as FAT keeps it: to the even second below. */
const fatTime = (seconds: number) => seconds - (seconds % 2);

describe.skipIf(unavailable !== null)(`io.github.osbuild-ts.mtools.copy into a FAT file system on a loop device${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const loops = useLoopDevices();
  it('copies an input directory tree with nested directories, long names and mtimes (clamped to the epoch)', async () => {
    const dir = testdir('copy');
    const input = join(dir, 'input');
    espTree(input);
    const { device } = espOnLoop(dir, loops);
    const result = await runStageLocally({
      entry,
      tree: join(dir, 'input'),
      devices: deviceArgument(device),
      inputs: { tree: { path: input } },
      options: { paths: [{ from: 'input://tree/boot/efi/', to: '/' }] },
      sourceEpoch: EPOCH,
    });
    expect(result.exitCode, result.output).toBe(0);
    expect(result.output).toContain(`copying '${input}/boot/efi/' -> '::/' (11 entries)`);
    expect(result.output).not.toContain('geometry');

    expect(listFat(device)).toEqual(listHost(join(input, 'boot/efi')));
    const out = copyOut(device, dir);
    for (const path of listHost(join(input, 'boot/efi'))) {
      const source = join(input, 'boot/efi', path);
      const copy = join(out, path);
      const expected = fatTime(Math.min(Math.floor(statSync(source).mtimeMs / 1000), EPOCH));
      expect(Math.floor(statSync(copy).mtimeMs / 1000), path).toBe(expected);
      if (!path.endsWith('/')) expect(readFileSync(copy).equals(readFileSync(source)), path).toBe(true);
    }
    const fsck = spawnSync('fsck.fat', ['-n', device], { encoding: 'utf8' });
    expect(fsck.status, fsck.stdout + fsck.stderr).toBe(0);
  });

  it('follows cp -a rules for each item, in order, keeping what is there and replacing files', async () => {
    const dir = testdir('rules');
    const tree = join(dir, 'tree');
    espTree(tree);
    write(tree, 'usr/lib/shim/shimx64.efi', 'shim', 1_600_000_000);
    write(tree, 'usr/lib/shim/mmx64.efi', 'mm', 1_600_000_000);
    const { device } = espOnLoop(dir, loops);
    const first = await runStageLocally({ entry, tree, devices: deviceArgument(device), options: { paths: [{ from: 'tree:///boot/efi/EFI', to: '/' }] } });
    expect(first.exitCode, first.output).toBe(0);
    const second = await runStageLocally({
      entry,
      tree,
      devices: deviceArgument(device),
      options: {
        paths: [
          // Into an existing directory (found without regard to case), under its own name.
          { from: 'tree:///usr/lib/shim/shimx64.efi', to: '/efi/boot' },
          // A new name; replaces the file there.
          { from: 'tree:///usr/lib/shim/mmx64.efi', to: '/EFI/BOOT/BOOTX64.EFI' },
          // The directory's contents into a new directory.
          { from: 'tree:///usr/lib/shim/', to: '/EFI/shim' },
        ],
      },
    });
    expect(second.exitCode, second.output).toBe(0);
    expect(listFat(device)).toEqual(
      [
        'EFI/', 'EFI/BOOT/', 'EFI/BOOT/BOOTX64.EFI', 'EFI/BOOT/shimx64.efi', 'EFI/Linux/', 'EFI/Linux/A long name, with spaces.txt',
        'EFI/debian/', 'EFI/debian/fonts/', 'EFI/debian/fonts/unicode.pf2', 'EFI/debian/grub.cfg', 'EFI/shim/', 'EFI/shim/mmx64.efi', 'EFI/shim/shimx64.efi',
      ].sort(),
    );
    const out = copyOut(device, dir);
    expect(readFileSync(join(out, 'EFI/BOOT/BOOTX64.EFI'), 'utf8')).toBe('mm');
    expect(readFileSync(join(out, 'EFI/BOOT/shimx64.efi'), 'utf8')).toBe('shim');
  });

  it('gives the same bytes twice with a source epoch, whatever times past the epoch the source has', async () => {
    const images: Buffer[] = [];
    for (const round of [0, 1]) {
      const dir = testdir(`repro-${round}`);
      const input = join(dir, 'input');
      espTree(input);
      // The second source is made later and its newest file is newer still: both are clamped to the epoch.
      if (round === 1) write(input, 'boot/efi/loader/new.conf', 'timeout 0\n', EPOCH + 999_999);
      const { device, disk, offset, size } = espOnLoop(dir, loops);
      const result = await runStageLocally({ entry, tree: input, devices: deviceArgument(device), inputs: { tree: { path: input } }, options: { paths: [{ from: 'input://tree/boot/efi/', to: '/' }] }, sourceEpoch: EPOCH });
      expect(result.exitCode, result.output).toBe(0);
      loops.detach(device);
      // The FAT file system: the partition's bytes (sfdisk gave each disk its own GUIDs).
      images.push(readFileSync(disk).subarray(offset, offset + size));
    }
    expect(images[0]?.equals(images[1] as Buffer)).toBe(true);
  });

  describe('errors', () => {
    async function failure(prepare: (input: string) => void, paths: unknown[] = [{ from: 'input://tree/', to: '/' }], devices?: Record<string, unknown>): Promise<string> {
      const dir = testdir('error');
      const input = join(dir, 'input');
      mkdirSync(input);
      prepare(input);
      const { device } = espOnLoop(dir, loops, 16 * MiB);
      const result = await runStageLocally({ entry, tree: input, devices: (devices ?? deviceArgument(device)) as never, inputs: { tree: { path: input } }, options: { paths } });
      expect(result.exitCode, result.output).toBe(1);
      return result.output;
    }

    it('what FAT cannot hold: symlinks, names that differ only in case', async () => {
      expect(await failure((input) => symlinkSync('grub.cfg', join(input, 'link.cfg')))).toContain('input://tree/link.cfg: FAT cannot hold symlinks');
      expect(
        await failure((input) => {
          writeFileSync(join(input, 'grub.cfg'), '');
          writeFileSync(join(input, 'GRUB.CFG'), '');
        }),
      ).toContain('paths[0]: input://tree/: GRUB.CFG and grub.cfg are one name on FAT, which ignores case');
    });

    it('a directory to copy into that is not there, a file where a directory goes, a missing source', async () => {
      expect(await failure((input) => writeFileSync(join(input, 'a'), ''), [{ from: 'input://tree/a', to: '/no/such/dir/a' }])).toContain('paths[0]: input://tree/a: no directory /no/such/dir on the FAT file system to put /no/such/dir/a in');
      expect(
        await failure(
          (input) => {
            writeFileSync(join(input, 'EFI'), '');
            mkdirSync(join(input, 'dir/EFI'), { recursive: true });
          },
          [
            { from: 'input://tree/EFI', to: '/' },
            { from: 'input://tree/dir/', to: '/' },
          ],
        ),
      ).toContain('paths[1]: input://tree/dir/: cannot put a directory at /EFI: the FAT file system has a file /EFI');
      expect(await failure(() => {}, [{ from: 'input://tree/missing', to: '/' }])).toContain('input://tree/missing: no such file or directory');
    });

    it('no device, or one without a FAT file system', async () => {
      expect(await failure(() => {}, undefined, {})).toContain('no device named "device" (devices: none); the FAT file system is devices.device, e.g. an org.osbuild.loopback device');
      const dir = testdir('notfat');
      const blank = join(dir, 'blank.img');
      writeFileSync(blank, Buffer.alloc(MiB));
      chmodSync(blank, 0o644);
      expect(await failure(() => {}, undefined, { device: { path: blank } })).toContain(`devices.device (${blank}) holds no FAT file system mtools can read`);
    });
  });
});

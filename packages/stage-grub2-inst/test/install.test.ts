import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStageLocally } from '@osbuild-ts/plugin-kit/testing';
import { DOS_SCRIPT, GPT_SCRIPT, MiB, PC_MODULES, entry, partitionedImage, readAt, referenceCore, sfdiskJson, testdir } from './helpers.js';

const hasPc = existsSync(join(PC_MODULES, 'boot.img'));
const dosOptions = {
  filename: 'disk.img',
  platform: 'i386-pc',
  location: 1,
  core: { type: 'mkimage', partlabel: 'dos', filesystem: 'ext4' },
  prefix: { type: 'partition', partlabel: 'dos', number: 0, path: '/boot/grub' },
};
const gptOptions = {
  filename: 'disk.img',
  platform: 'i386-pc',
  location: 2048,
  core: { type: 'mkimage', partlabel: 'gpt', filesystem: 'btrfs' },
  prefix: { type: 'partition', partlabel: 'gpt', number: 1, path: '/boot/grub' },
};

describe.skipIf(!hasPc)('org.osbuild.grub2.inst on disks partitioned by sfdisk', () => {
  it('dos: boot.img in the MBR pointing at the core in the MBR gap, the partition table intact', async () => {
    const tree = testdir('tree');
    const image = partitionedImage(join(tree, 'disk.img'), 64 * MiB, DOS_SCRIPT);
    const table = sfdiskJson(image);
    const mbrBefore = readAt(image, 0, 512);

    const result = await runStageLocally({ entry, tree, options: dosOptions });
    expect(result.exitCode, result.output).toBe(0);
    expect(result.output).toContain('prefix: (,msdos1)/boot/grub');

    expect(sfdiskJson(image)).toEqual(table);
    const mbr = readAt(image, 0, 512);
    const bootImg = readFileSync(join(PC_MODULES, 'boot.img'));
    expect(mbr.subarray(0, 0x5c)).toEqual(bootImg.subarray(0, 0x5c));
    expect(mbr.readBigUInt64LE(0x5c)).toBe(1n);
    expect(mbr.subarray(0x64, 440)).toEqual(bootImg.subarray(0x64, 440));
    // Disk signature, partition entries and boot signature: as sfdisk wrote them.
    expect(mbr.subarray(440)).toEqual(mbrBefore.subarray(440));

    const core = referenceCore(tree, { prefix: '(,msdos1)/boot/grub', modules: ['biosdisk', 'part_msdos', 'ext2'] });
    // In the first sector after the MBR the core's own block list already says "sector 2".
    expect(readAt(image, 512, core.length)).toEqual(core);
    // Nothing of it reaches the partition.
    expect(readAt(image, 2048 * 512, 4096).equals(Buffer.alloc(4096))).toBe(true);
  });

  it('gpt: the core in the BIOS boot partition, told where its second sector is; GPT and protective MBR intact', async () => {
    const tree = testdir('tree');
    const image = partitionedImage(join(tree, 'disk.img'), 64 * MiB, GPT_SCRIPT);
    const table = sfdiskJson(image);
    const labelBefore = readAt(image, 0, 34 * 512);

    const result = await runStageLocally({ entry, tree, options: gptOptions });
    expect(result.exitCode, result.output).toBe(0);

    expect(sfdiskJson(image)).toEqual(table);
    const after = readAt(image, 0, 34 * 512);
    expect(after.subarray(440)).toEqual(labelBefore.subarray(440));
    expect(after.readBigUInt64LE(0x5c)).toBe(2048n);

    const core = referenceCore(tree, { prefix: '(,gpt2)/boot/grub', modules: ['biosdisk', 'part_gpt', 'btrfs'] });
    const written = readAt(image, 2048 * 512, core.length);
    expect(written.readBigUInt64LE(500)).toBe(2049n);
    const expected = Buffer.from(core);
    expected.writeBigUInt64LE(2049n, 500);
    expect(written).toEqual(expected);
  });

  it('takes the other grub-mkimage name when the one in core.binary is missing, and fails for an unknown one', async () => {
    const tree = testdir('tree');
    partitionedImage(join(tree, 'disk.img'), 16 * MiB, DOS_SCRIPT);
    const fedora = await runStageLocally({ entry, tree, options: { ...dosOptions, core: { ...dosOptions.core, binary: 'grub2-mkimage' } }, env: { PATH: '/usr/sbin:/usr/bin' } });
    expect(fedora.exitCode, fedora.output).toBe(0);
    expect(fedora.output).toContain('grub2-mkimage is not in the build root; using grub-mkimage');

    const bin = testdir('bin');
    symlinkSync('/usr/bin/grub-mkimage', join(bin, 'my-mkimage'));
    const custom = await runStageLocally({ entry, tree, options: { ...dosOptions, core: { ...dosOptions.core, binary: 'my-mkimage' } }, env: { PATH: `${bin}:/usr/sbin:/usr/bin` } });
    expect(custom.exitCode, custom.output).toBe(0);

    const unknown = await runStageLocally({ entry, tree, options: { ...dosOptions, core: { ...dosOptions.core, binary: 'no-such-mkimage' } } });
    expect(unknown.exitCode).toBe(1);
    expect(unknown.output).toContain('no-such-mkimage is not in the build root');
  });

  it('without a location the core image (El Torito for iso9660) replaces the file, as upstream', async () => {
    const tree = testdir('tree');
    const result = await runStageLocally({ entry, tree, options: { filename: 'eltorito.img', platform: 'i386-pc', core: { type: 'mkimage', partlabel: 'gpt', filesystem: 'iso9660' }, prefix: { path: '/boot/grub2' } } });
    expect(result.exitCode, result.output).toBe(0);
    const expected = referenceCore(tree, { prefix: '/boot/grub2', modules: ['biosdisk', 'part_gpt', 'iso9660'], format: 'i386-pc-eltorito' });
    expect(readFileSync(join(tree, 'eltorito.img'))).toEqual(expected);
  });
});

describe('errors name the option and what was expected', () => {
  async function failure(options: Record<string, unknown>, script: string | null = GPT_SCRIPT, size = 64 * MiB): Promise<string> {
    const tree = testdir('tree');
    if (script) partitionedImage(join(tree, 'disk.img'), size, script);
    const before = script ? readFileSync(join(tree, 'disk.img')) : null;
    const result = await runStageLocally({ entry, tree, options });
    expect(result.exitCode, result.output).toBe(1);
    // A refused install leaves the image as it was.
    if (before) expect(readFileSync(join(tree, 'disk.img')).equals(before)).toBe(true);
    return result.output;
  }

  it.skipIf(!hasPc)('a core image over the GPT, over a partition that is not BIOS boot, or past the end of the disk', async () => {
    expect(await failure({ ...gptOptions, location: 1 })).toMatch(/location 1: the core image \(\d+ bytes, sectors 1–\d+\) would overwrite the GPT header and partition entries \(sectors 1–2047\)/);
    expect(await failure({ ...gptOptions, location: 4096 })).toMatch(/location 4096: the core image .* overlaps partition 2 \(sectors 4096–\d+, type 0FC63DAF-8483-4772-8E79-3D69D8477DE4\), which is not a BIOS boot or PReP partition/);
    expect(await failure({ ...gptOptions, location: 4080 })).toMatch(/does not fit in partition 1 \(sectors 2048–4095\)|overlaps partition 2/);
    expect(await failure({ ...gptOptions, location: (64 * MiB) / 512 - 150 })).toContain('would overwrite the backup GPT');
    expect(await failure({ ...dosOptions, location: (64 * MiB) / 512 - 20 }, 'label: dos\nstart=2048, size=4096, type=83\n')).toContain('does not fit on the disk (131072 sectors of 512 bytes)');
    expect(await failure({ ...dosOptions, location: 2040 }, DOS_SCRIPT)).toMatch(/overlaps partition 1 \(sectors 2048–\d+, type 83\)/);
    expect(await failure({ ...dosOptions, location: 1 }, null)).toContain('filename disk.img: no such disk image in the tree');
  });

  it.skipIf(!hasPc)('a partition table other than core.partlabel says', async () => {
    expect(await failure({ ...dosOptions }, GPT_SCRIPT)).toContain('core.partlabel is dos, but disk.img has a gpt partition table');
  });

  it('a platform whose modules the build root lacks', async () => {
    expect(await failure({ ...gptOptions, platform: 'sparc64-ieee1275' })).toContain('platform sparc64-ieee1275: /usr/lib/grub/sparc64-ieee1275 is not in the build root');
  });

  it('a missing grub-mkimage, naming both names and the packages', async () => {
    const tree = testdir('tree');
    partitionedImage(join(tree, 'disk.img'), 16 * MiB, DOS_SCRIPT);
    writeFileSync(join(tree, 'marker'), '');
    const empty = testdir('path');
    const result = await runStageLocally({ entry, tree, options: dosOptions, env: { PATH: empty } });
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain('neither grub2-mkimage nor grub-mkimage is in the build root (grub2-tools-minimal on Fedora, grub-common on Debian)');
  });
});

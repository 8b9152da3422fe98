import { describe, expect, it } from 'vitest';
import { qemuImgArguments } from '../src/convert.js';
import { sourceEpoch } from '@osbuild-ts/image-kit';
import { usedInodes } from '@osbuild-ts/image-kit';
import { coreImageArguments } from '../src/grub-bios.js';
import { bootPartition, normalMountpoint, planFilesystems } from '../src/layout.js';
import { partitionTableFromOptions, type Partition } from '../src/options.js';
import { derivedPartitionUuid } from '../src/partition-uuid.js';
import { sfdiskScript } from '../src/sfdisk.js';
import type { StageArguments } from '@osbuild-ts/plugin-kit';

const fs = (type: 'ext4' | 'xfs' | 'vfat' | 'btrfs', mountpoint: string) => ({ type, uuid: `uuid-${mountpoint}`, mountpoint });

describe('sfdiskScript', () => {
  it("writes upstream's script: label, label-id, the set fields quoted, bootable", () => {
    expect(
      sfdiskScript({
        label: 'dos',
        uuid: '0x14fc63d2',
        partitions: [{ start: 2048, size: 204800, type: 'ef' }, { type: '83', bootable: true }, {}],
      }),
    ).toBe('label: dos\nlabel-id: 0x14fc63d2\nstart="2048", size="204800", type="ef"\ntype="83", bootable\n,\n');
  });

  it('gives GPT partitions without a uuid a derived one, stable and shaped as UUID v4', () => {
    const script = sfdiskScript({ label: 'gpt', uuid: 'D209C89E-EA5E-4FBD-B161-B461CCE297E0', partitions: [{ name: 'root', uuid: 'given' }, { name: 'other' }] });
    const derived = derivedPartitionUuid('D209C89E-EA5E-4FBD-B161-B461CCE297E0', 1);
    expect(script).toBe(`label: gpt\nlabel-id: D209C89E-EA5E-4FBD-B161-B461CCE297E0\nname="root", uuid="given"\nname="other", uuid="${derived}"\n`);
    expect(derived).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(derivedPartitionUuid('d209c89e-ea5e-4fbd-b161-b461cce297e0', 1)).toBe(derived);
    expect(derivedPartitionUuid('D209C89E-EA5E-4FBD-B161-B461CCE297E0', 2)).not.toBe(derived);
  });

  it('refuses quotes in values, which would break the script', () => {
    expect(() => sfdiskScript({ label: 'gpt', uuid: 'x', partitions: [{ name: 'a"b' }] })).toThrow('partition 1: name may not contain quotes');
  });
});

describe('partitionTableFromOptions', () => {
  it("makes upstream's single bootable Linux partition from root_fs_uuid", () => {
    expect(partitionTableFromOptions({ format: 'raw', filename: 'x', size: 512, ptuuid: 'p', root_fs_uuid: 'r', root_fs_type: 'xfs' })).toEqual({
      label: 'dos',
      uuid: 'p',
      partitions: [{ bootable: true, type: '83', filesystem: { type: 'xfs', uuid: 'r', mountpoint: '/' } }],
    });
    expect(partitionTableFromOptions({ format: 'raw', filename: 'x', size: 512, ptuuid: 'p', pttype: 'mbr', partitions: [] }).label).toBe('dos');
  });
});

describe('planFilesystems', () => {
  const part = (index: number, filesystem?: ReturnType<typeof fs>): Partition => ({ index, start: 2048 * (index + 1), size: 2048, type: '83', bootable: false, ...(filesystem ? { filesystem } : {}) });

  it('orders by mount point length and gives each file system only its directly nested mount points', () => {
    const plans = planFilesystems([part(0, fs('vfat', '/boot/efi')), part(1), part(2, fs('ext4', '/boot')), part(3, fs('xfs', '/')), part(4, fs('ext4', '/var/lib/'))]);
    expect(plans.map((p) => [p.mountpoint, p.nested, p.offset])).toEqual([
      ['/', ['boot', 'var/lib'], 4 * 2048 * 512],
      ['/boot', ['efi'], 3 * 2048 * 512],
      ['/var/lib', [], 5 * 2048 * 512],
      ['/boot/efi', [], 1 * 2048 * 512],
    ]);
    expect(bootPartition(plans)?.mountpoint).toBe('/boot');
    expect(bootPartition(plans.filter((p) => p.mountpoint !== '/boot'))?.mountpoint).toBe('/');
  });

  it('puts /boot/efi in the root file system when there is no /boot', () => {
    expect(planFilesystems([part(0, fs('ext4', '/')), part(1, fs('vfat', '/boot/efi'))])[0]?.nested).toEqual(['boot/efi']);
  });

  it('refuses two file systems at one mount point and mount points outside the tree', () => {
    expect(() => planFilesystems([part(0, fs('ext4', '/')), part(1, fs('ext4', '//'))])).toThrow('two file systems are mounted at /');
    expect(normalMountpoint('boot/')).toBe('/boot');
  });
});

describe('usedInodes', () => {
  it("takes each group's inodes minus its free ranges", () => {
    const dump = [
      'Inodes per group:         8',
      '',
      'Group 0: (Blocks 0-32767) csum 0x1 [ITABLE_ZEROED]',
      '  Free blocks: 100-200',
      '  Free inodes: 6-8',
      'Group 1: (Blocks 32768-65535) csum 0x2 [INODE_UNINIT]',
      '  Free inodes: 9-16',
      'Group 2: (Blocks 65536-98303) csum 0x3',
      '  Free inodes: 17, 19-20, 24',
    ].join('\n');
    expect(usedInodes(dump)).toEqual([1, 2, 3, 4, 5, 18, 21, 22, 23]);
  });
});

describe('sourceEpoch', () => {
  const args = (meta: Record<string, unknown>) => ({ meta }) as unknown as StageArguments<unknown>;
  it("takes the arguments' source-epoch, then SOURCE_DATE_EPOCH", () => {
    expect(sourceEpoch(args({ id: 'x', 'source-epoch': 1700000000 }), {})).toBe(1700000000);
    expect(sourceEpoch(args({ id: 'x' }), { SOURCE_DATE_EPOCH: '1600000000' })).toBe(1600000000);
    expect(sourceEpoch(args({ id: 'x' }), { SOURCE_DATE_EPOCH: 'soon' })).toBeNull();
    expect(sourceEpoch(args({ id: 'x' }), {})).toBeNull();
  });
});

describe('coreImageArguments', () => {
  it("builds upstream's grub-mkimage line: disk, partition table and /boot file system modules, prefix on the boot partition", () => {
    const partitions: Partition[] = [
      { index: 0, start: 2048, size: 2048, type: '21686148-6449-6E6F-744E-656564454649', bootable: false },
      { index: 1, start: 4096, size: 2048, type: 'x', bootable: false, filesystem: fs('xfs', '/boot') },
      { index: 2, start: 8192, size: 2048, type: 'x', bootable: false, filesystem: fs('btrfs', '/') },
    ];
    expect(coreImageArguments({ tree: '/nonexistent', label: 'gpt', partitions, plans: planFilesystems(partitions), platform: 'i386-pc' }, '/o/core.img')).toEqual([
      '--directory', '/usr/lib/grub/i386-pc', '--prefix', '(,gpt2)/grub2', '--format', 'i386-pc', '--compression', 'auto', '--output', '/o/core.img',
      'biosdisk', 'part_gpt', 'xfs',
    ]);
  });
});

describe('qemuImgArguments', () => {
  it("passes upstream's options per format", () => {
    expect(qemuImgArguments({ format: 'qcow2', qcow2_compat: '0.10' }, 'r', 'o')).toEqual(['convert', '-O', 'qcow2', '-c', '-o', 'compat=0.10', 'r', 'o']);
    expect(qemuImgArguments({ format: 'vmdk', vmdk_subformat: 'streamOptimized' }, 'r', 'o', '8')).toEqual(['convert', '-O', 'vmdk', '-c', '-o', 'subformat=streamOptimized', '-m', '8', 'r', 'o']);
    expect(qemuImgArguments({ format: 'vpc' }, 'r', 'o')).toEqual(['convert', '-O', 'vpc', '-o', 'subformat=fixed,force_size', 'r', 'o']);
    expect(qemuImgArguments({ format: 'vhdx' }, 'r', 'o')).toEqual(['convert', '-O', 'vhdx', 'r', 'o']);
  });
});

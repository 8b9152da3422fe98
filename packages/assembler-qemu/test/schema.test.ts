import { describe, it } from 'vitest';
import { schemaCases } from '@osbuild-ts/plugin-kit/schema-cases';

const schema = schemaCases(import.meta.dirname);
const base = { format: 'qcow2', filename: 'disk.qcow2', size: 2147483648, ptuuid: '0x14fc63d2' };

describe('schema.json', () => {
  it('accepts what upstream accepts', () => {
    schema.accepts('options', [
      { ...base, root_fs_uuid: '6e4ff95f-f662-45ee-a82a-bdf44a2d0b75' },
      { ...base, root_fs_uuid: 'x', root_fs_type: 'xfs', qcow2_compat: '0.10', bootloader: { type: 'grub2' } },
      { ...base, format: 'vmdk', vmdk_subformat: 'streamOptimized', root_fs_uuid: 'x' },
      {
        ...base,
        pttype: 'gpt',
        bootloader: { type: 'grub2', platform: 'i386-pc' },
        partitions: [
          { start: 2048, size: 2048, type: '21686148-6449-6E6F-744E-656564454649', bootable: true, name: 'BIOS', uuid: 'u' },
          { type: 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B', filesystem: { type: 'vfat', uuid: '7B77-95E7', mountpoint: '/boot/efi', label: 'ESP' } },
          { filesystem: { type: 'btrfs', uuid: 'u', mountpoint: '/' } },
        ],
      },
      ...['raw', 'raw.xz', 'vdi', 'vpc', 'vhdx'].map((format) => ({ ...base, format, root_fs_uuid: 'x' })),
    ]);
  });

  it('refuses what upstream refuses', () => {
    schema.refuses('options', [
      { ...base },
      { ...base, root_fs_uuid: 'x', pttype: 'gpt', partitions: [] },
      { ...base, format: 'qcow', root_fs_uuid: 'x' },
      { ...base, root_fs_uuid: 'x', root_fs_type: 'vfat' },
      { ...base, root_fs_uuid: 'x', bootloader: { type: 'systemd-boot' } },
      { ...base, root_fs_uuid: 'x', vmdk_subformat: 'sparse' },
      { ...base, pttype: 'gpt', partitions: [{ filesystem: { type: 'ext4', uuid: 'u' } }] },
      { ...base, pttype: 'hybrid', partitions: [] },
      { ...base, root_fs_uuid: 'x', compression: 'zstd' },
      { format: 'raw', filename: 'x', ptuuid: 'p', root_fs_uuid: 'x' },
    ]);
  });
});

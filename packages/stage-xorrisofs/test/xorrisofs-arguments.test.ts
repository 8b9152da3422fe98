import { describe, expect, it } from 'vitest';
import { isoDate, xorrisofsArguments } from '../src/xorrisofs-arguments.js';

describe('xorrisofsArguments', () => {
  it('is upstream\'s syslinux command line, in its order', () => {
    expect(
      xorrisofsArguments(
        { filename: 'a.iso', volid: 'V', isolevel: 3, boot: { image: 'isolinux/isolinux.bin', catalog: 'isolinux/boot.cat' }, efi: 'images/efiboot.img', isohybridmbr: '/m.bin', exclude: ['x'] },
        '/in',
        '/out/a.iso',
        null,
      ),
    ).toEqual([
      '-verbose', '-iso-level', '3', '-V', 'V', '-isohybrid-mbr', '/m.bin',
      '-b', 'isolinux/isolinux.bin', '-c', 'isolinux/boot.cat', '--boot-catalog-hide', '-boot-load-size', '4', '-boot-info-table', '-no-emul-boot',
      '-rock', '-joliet', '-eltorito-alt-boot', '-e', 'images/efiboot.img', '-no-emul-boot', '-isohybrid-gpt-basdat',
      '-exclude', 'x', '-o', '/out/a.iso', '/in',
    ]);
  });

  it('is upstream\'s grub2 command line, the ESP appended as a GPT partition', () => {
    expect(
      xorrisofsArguments(
        { filename: 'a.iso', volid: 'V', sysid: 'S', boot: { image: 'images/eltorito.img', catalog: 'boot.cat' }, efi: '/images/efiboot.img', grub2mbr: '/mbr' },
        '/in',
        '/o',
        null,
      ),
    ).toEqual([
      '-verbose', '-rock', '-joliet', '-V', 'V', '-sysid', 'S', '--grub2-mbr', '/mbr',
      '-partition_offset', '16', '-appended_part_as_gpt', '-append_partition', '2', 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B', '/in/images/efiboot.img',
      '-iso_mbr_part_type', 'EBD0A0A2-B9E5-4433-87C0-68B6B72699C7',
      '-b', 'images/eltorito.img', '-c', 'boot.cat', '--boot-catalog-hide', '-no-emul-boot', '-boot-load-size', '4', '-boot-info-table', '--grub2-boot-info',
      '-eltorito-alt-boot', '-e', '--interval:appended_partition_2:all::', '-no-emul-boot', '-o', '/o', '/in',
    ]);
  });

  it('is upstream\'s ppc64le command line, and refuses efi there', () => {
    expect(xorrisofsArguments({ filename: 'a.iso', volid: 'V', chrp_boot: true, volset: 'S', rational_rock: true }, '/in', '/o', null)).toEqual([
      '-verbose', '-rock', '-joliet', '-V', 'V', '-rational-rock', '-volset', 'S', '-volset-size', '1', '-volset-seqno', '1', '-chrp-boot', '-o', '/o', '/in',
    ]);
    expect(() => xorrisofsArguments({ filename: 'a.iso', volid: 'V', chrp_boot: true, efi: 'e.img' }, '/in', '/o', null)).toThrow(/efi: UEFI is not supported on PPC64LE/);
  });

  it('dates everything with the source epoch, in UTC', () => {
    expect(isoDate(1700000000)).toBe('2023111422132000');
    expect(xorrisofsArguments({ filename: 'a.iso', volid: 'V' }, '/in', '/o', 1700000000).slice(-8)).toEqual([
      '--modification-date=2023111422132000', '--set_all_file_dates', '2023111422132000', '--gpt_disk_guid', 'modification-date', '-o', '/o', '/in',
    ]);
  });
});

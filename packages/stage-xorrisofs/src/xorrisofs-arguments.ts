import { posix } from 'node:path';
import type { XorrisofsOptions } from './options.js';

/** The ISO's flavour, chosen by the options as upstream chooses it. */
export type IsoKind = 'grub2' | 'grub2-ppc64le' | 'syslinux';

export function isoKind(options: XorrisofsOptions): IsoKind {
  if (options.chrp_boot !== undefined) return 'grub2-ppc64le';
  if (options.grub2mbr === undefined) return 'syslinux';
  return 'grub2';
}

/** `--modification-date=`'s form, YYYYMMDDhhmmsscc, in UTC. */
export function isoDate(epoch: number): string {
  const d = new Date(epoch * 1000);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}00`;
}

/**
 * With a source epoch: the volume's dates (and the UUID grub searches by,
 * made of the modification date), every file's mtime, atime and ctime, and
 * the GPT disk GUID of a hybrid image are the epoch, so the same tree gives
 * the same bytes. Without one, xorrisofs takes the clock (and random GUIDs),
 * as upstream does.
 */
export function reproducibleArguments(epoch: number | null): string[] {
  if (epoch === null) return [];
  const date = isoDate(epoch);
  return [`--modification-date=${date}`, '--set_all_file_dates', date, '--gpt_disk_guid', 'modification-date'];
}

function identity(options: XorrisofsOptions): string[] {
  const args: string[] = [];
  if (options.isolevel) args.push('-iso-level', String(options.isolevel));
  args.push('-V', options.volid);
  if (options.sysid) args.push('-sysid', options.sysid);
  if (options.pub) args.push('-publisher', options.pub);
  if (options.appid) args.push('-appid', options.appid);
  if (options.prep) args.push('-preparer', options.prep);
  return args;
}

/**
 * xorrisofs's arguments, in upstream's order for each of its three kinds of
 * ISO (grub2 with `grub2mbr`, ppc64le grub2 with `chrp_boot`, syslinux
 * otherwise), then the reproducibility options, the output and the tree.
 * `tree` and `output` are paths in the stage's sandbox.
 */
export function xorrisofsArguments(options: XorrisofsOptions, tree: string, output: string, epoch: number | null): string[] {
  const kind = isoKind(options);
  const args = ['-verbose'];
  if (kind !== 'syslinux') args.push('-rock', '-joliet');
  args.push(...identity(options));
  const boot = options.boot;
  if (kind === 'grub2') {
    args.push('--grub2-mbr', options.grub2mbr as string);
    if (options.efi) {
      const efi = posix.join(tree, options.efi.replace(/^\/+/, ''));
      args.push('-partition_offset', '16', '-appended_part_as_gpt', '-append_partition', '2', 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B', efi);
    }
    args.push('-iso_mbr_part_type', 'EBD0A0A2-B9E5-4433-87C0-68B6B72699C7');
    if (boot) {
      args.push('-b', boot.image, '-c', boot.catalog, '--boot-catalog-hide', '-no-emul-boot', '-boot-load-size', '4');
      if (!boot.nobootinfo) args.push('-boot-info-table', '--grub2-boot-info');
      if (options.efi) args.push('-eltorito-alt-boot', '-e', '--interval:appended_partition_2:all::');
    }
    args.push('-no-emul-boot');
  } else if (kind === 'grub2-ppc64le') {
    if (options.efi) throw new Error('efi: UEFI is not supported on PPC64LE (chrp_boot is set)');
    if (options.rational_rock) args.push('-rational-rock');
    if (options.untranslated_filenames) args.push('-untranslated-filenames');
    if (options.full_filenames) args.push('-full-iso9660-filenames');
    if (options.volset) args.push('-volset', options.volset, '-volset-size', '1', '-volset-seqno', '1');
    if (options.chrp_boot) args.push('-chrp-boot');
  } else {
    if (options.isohybridmbr) args.push('-isohybrid-mbr', options.isohybridmbr);
    if (boot) {
      args.push('-b', boot.image, '-c', boot.catalog, '--boot-catalog-hide', '-boot-load-size', '4');
      if (!boot.nobootinfo) args.push('-boot-info-table');
      args.push('-no-emul-boot');
    }
    args.push('-rock', '-joliet');
    if (options.efi) {
      args.push('-eltorito-alt-boot', '-e', options.efi, '-no-emul-boot');
      if (options.isohybridmbr) args.push('-isohybrid-gpt-basdat');
    }
  }
  for (const exclude of options.exclude ?? []) args.push('-exclude', exclude);
  args.push(...reproducibleArguments(epoch));
  args.push('-o', output, tree);
  return args;
}

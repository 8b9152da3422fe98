import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join, posix } from 'node:path';
import { runTool } from '@osbuild-ts/plugin-kit';
import { grubDirInTree } from './grub-dir.js';
import { bootPartition, type FilesystemPlan } from './layout.js';
import type { Partition } from './options.js';
import { findCommand } from './tools.js';

export const BIOS_BOOT_TYPE = '21686148-6449-6E6F-744E-656564454649';
const PREP_TYPES = { dos: '41', gpt: '9E1A2D38-C612-4316-AA26-8B49521E5A8B' };

/** grub's module for each file system that can hold /boot. */
const FS_MODULES: Record<string, string> = { ext4: 'ext2', xfs: 'xfs', btrfs: 'btrfs', vfat: 'fat' };

export interface BiosInstall {
  image: string;
  tree: string;
  work: string;
  label: 'dos' | 'gpt';
  partitions: readonly Partition[];
  plans: readonly FilesystemPlan[];
  platform: string;
  log: (line: string) => void;
}

/** The grub-mkimage arguments for the core image, in upstream's form. */
export function coreImageArguments(install: Omit<BiosInstall, 'image' | 'work' | 'log'>, output: string): string[] {
  const boot = bootPartition(install.plans);
  if (!boot) throw new Error('grub2: no file system holds /boot or / (give a partition a filesystem with mountpoint "/")');
  const modules = install.platform === 'i386-pc' ? ['biosdisk'] : [];
  modules.push(install.label === 'dos' ? 'part_msdos' : 'part_gpt');
  const fsModule = FS_MODULES[boot.filesystem.type];
  if (!fsModule) throw new Error(`grub2: unknown boot filesystem type: '${boot.filesystem.type}'`);
  modules.push(fsModule);
  const partId = `${install.label === 'dos' ? 'msdos' : 'gpt'}${boot.partition.index + 1}`;
  const grubDir = grubDirInTree(install.tree, install.platform).dir;
  const relative = posix.relative(boot.mountpoint, grubDir);
  if (relative.startsWith('..')) throw new Error(`grub2: ${grubDir} is not on the file system mounted at ${boot.mountpoint}`);
  return [
    '--directory', `/usr/lib/grub/${install.platform}`,
    '--prefix', `(,${partId})/${relative}`,
    '--format', install.platform,
    '--compression', 'auto',
    '--output', output,
    ...modules,
  ];
}

/**
 * Installs grub's BIOS stages from the build root into the image, as
 * grub2-install would on a disk but without one: the core image (made with
 * grub-mkimage: disk access, the partition table's and /boot's file system
 * modules, and the prefix where the tree's grub directory is) goes into the
 * gap after the MBR (dos), the BIOS boot partition (gpt) or the PReP
 * partition (powerpc-ieee1275); on i386-pc the first 440 bytes of boot.img
 * go to the MBR, keeping the partition table, with the core's sector.
 */
export function installGrubBios(install: BiosInstall): void {
  const { platform } = install;
  const mkimage = findCommand('grub2-mkimage', 'grub-mkimage');
  if (!mkimage) throw new Error('grub2: neither grub2-mkimage nor grub-mkimage is in the build root (grub2-tools-minimal / grub-common)');
  const { dir, hasModules } = grubDirInTree(install.tree, platform);
  if (!hasModules) install.log(`grub2: warning: the tree has no ${dir}/${platform}/normal.mod; grub will stop at its rescue prompt (run org.osbuild.grub2 with legacy)`);
  const core = join(install.work, 'core.img');
  const args = coreImageArguments(install, core);
  install.log(`grub2 prefix ${args[args.indexOf('--prefix') + 1]}`);
  runTool(mkimage, args);
  const coreData = readFileSync(core);

  const fd = openSync(install.image, 'r+');
  try {
    let coreSector: number;
    if (platform === 'powerpc-ieee1275') {
      const prep = install.partitions.find((p) => p.type.toUpperCase() === PREP_TYPES[install.label]);
      if (!prep) throw new Error('grub2: PrEP partition missing');
      if (coreData.length >= prep.size * 512 - 512) throw new Error('grub2: PrEP partition too small for the core image');
      writeSync(fd, coreData, 0, coreData.length, prep.start * 512);
      coreSector = prep.start;
    } else if (install.label === 'gpt') {
      const bb = install.partitions.find((p) => p.type.toUpperCase() === BIOS_BOOT_TYPE);
      if (!bb) throw new Error(`grub2: BIOS-boot partition missing (a partition of type ${BIOS_BOOT_TYPE})`);
      if (bb.size * 512 < coreData.length) throw new Error('grub2: BIOS-boot partition too small');
      writeSync(fd, coreData, 0, coreData.length, bb.start * 512);
      // The core's first sector loads the rest from the sector its block list
      // names (at 0x200 - 12 = 500); grub-mkimage assumes sector 2.
      writeSync(fd, u64(bb.start + 1), 0, 8, bb.start * 512 + 500);
      coreSector = bb.start;
    } else {
      const first = Math.min(...install.partitions.map((p) => p.start));
      if (coreData.length >= first * 512 - 512) {
        throw new Error(`grub2: the core image (${coreData.length} bytes) does not fit between the MBR and the first partition (sector ${first})`);
      }
      writeSync(fd, coreData, 0, coreData.length, 512);
      coreSector = 1;
    }
    if (platform === 'i386-pc') {
      const bootImg = `/usr/lib/grub/${platform}/boot.img`;
      const boot = readFileSync(bootImg);
      // Only the code: bytes 440… hold the disk signature and the partition table.
      writeSync(fd, boot, 0, 440, 0);
      // GRUB_BOOT_MACHINE_KERNEL_SECTOR: where boot.img finds the core.
      writeSync(fd, u64(coreSector), 0, 8, 0x5c);
    }
  } finally {
    closeSync(fd);
  }
}

function u64(value: number): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64LE(BigInt(value));
  return buffer;
}

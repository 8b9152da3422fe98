import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { BIOS_BOOT_TYPE, PREP_TYPES, coreImageArguments as sharedCoreImageArguments, findGrubMkimage, installBiosBootCode, partitionPrefix } from '@osbuild-ts/image-kit';
import { runTool } from '@osbuild-ts/plugin-kit';
import { grubDirInTree } from './grub-dir.js';
import { bootPartition, type FilesystemPlan } from './layout.js';
import type { Partition } from './options.js';

export { BIOS_BOOT_TYPE };

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

/** The grub-mkimage arguments for the core image, in upstream's form: /boot's partition and file system. */
export function coreImageArguments(install: Omit<BiosInstall, 'image' | 'work' | 'log'>, output: string): string[] {
  const boot = bootPartition(install.plans);
  if (!boot) throw new Error('grub2: no file system holds /boot or / (give a partition a filesystem with mountpoint "/")');
  const grubDir = grubDirInTree(install.tree, install.platform).dir;
  const relative = posix.relative(boot.mountpoint, grubDir);
  if (relative.startsWith('..')) throw new Error(`grub2: ${grubDir} is not on the file system mounted at ${boot.mountpoint}`);
  try {
    return sharedCoreImageArguments(
      { platform: install.platform, partlabel: install.label, filesystem: boot.filesystem.type, prefix: partitionPrefix(install.label, boot.partition.index, relative) },
      output,
    );
  } catch (error) {
    throw new Error(`grub2: ${(error as Error).message}`);
  }
}

/**
 * Installs grub's BIOS stages from the build root into the image, as
 * grub2-install would on a disk but without one: the core image (disk
 * access, the partition table's and /boot's file system modules, and the
 * prefix where the tree's grub directory is) goes into the gap after the
 * MBR (dos), the BIOS boot partition (gpt) or the PReP partition
 * (powerpc-ieee1275); on i386-pc boot.img's code goes to the MBR.
 */
export function installGrubBios(install: BiosInstall): void {
  const { platform } = install;
  let mkimage: string;
  try {
    mkimage = findGrubMkimage().path;
  } catch (error) {
    throw new Error(`grub2: ${(error as Error).message}`);
  }
  const { dir, hasModules } = grubDirInTree(install.tree, platform);
  if (!hasModules) install.log(`grub2: warning: the tree has no ${dir}/${platform}/normal.mod; grub will stop at its rescue prompt (run org.osbuild.grub2 with legacy)`);
  const core = join(install.work, 'core.img');
  const args = coreImageArguments(install, core);
  install.log(`grub2 prefix ${args[args.indexOf('--prefix') + 1]}`);
  runTool(mkimage, args);
  const coreData = readFileSync(core);
  installBiosBootCode({ image: install.image, core: coreData, location: coreLocation(install, coreData.length), sectorSize: 512, platform });
}

/** The sector the core goes to, checked against the room there. */
function coreLocation(install: BiosInstall, coreSize: number): number {
  if (install.platform === 'powerpc-ieee1275') {
    const prep = install.partitions.find((p) => PREP_TYPES.includes(p.type.toUpperCase()));
    if (!prep) throw new Error('grub2: PrEP partition missing');
    if (coreSize >= prep.size * 512 - 512) throw new Error('grub2: PrEP partition too small for the core image');
    return prep.start;
  }
  if (install.label === 'gpt') {
    const bb = install.partitions.find((p) => p.type.toUpperCase() === BIOS_BOOT_TYPE);
    if (!bb) throw new Error(`grub2: BIOS-boot partition missing (a partition of type ${BIOS_BOOT_TYPE})`);
    if (bb.size * 512 < coreSize) throw new Error('grub2: BIOS-boot partition too small');
    return bb.start;
  }
  const first = Math.min(...install.partitions.map((p) => p.start));
  if (coreSize >= first * 512 - 512) {
    throw new Error(`grub2: the core image (${coreSize} bytes) does not fit between the MBR and the first partition (sector ${first})`);
  }
  return 1;
}

import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { DiskLabel } from './disk-label.js';

export const BIOS_BOOT_TYPE = '21686148-6449-6E6F-744E-656564454649';
export const PREP_TYPES: readonly string[] = ['41', '9E1A2D38-C612-4316-AA26-8B49521E5A8B'];

/** Where the core's first sector keeps the sector of the rest (0x200 minus the 12-byte block list). */
const CORE_NEXT_SECTOR = 500;
/** GRUB_BOOT_MACHINE_KERNEL_SECTOR: where boot.img keeps the core's sector. */
const BOOT_KERNEL_SECTOR = 0x5c;
/** boot.img's code; the disk signature and partition table follow it. */
const MBR_CODE_SIZE = 440;

export interface BiosInstall {
  /** The disk image (a file). */
  image: string;
  /** The core image grub-mkimage made. */
  core: Buffer;
  /** Sector the core goes to. */
  location: number;
  sectorSize: number;
  platform: string;
  /** boot.img; default `/usr/lib/grub/<platform>/boot.img`. */
  bootImage?: string;
}

/**
 * Puts grub's BIOS boot code on a disk image, as grub-bios-setup does: the
 * core image at `location` (the gap after the MBR, a BIOS boot or a PReP
 * partition); when that is past the first sector its first sector is told
 * where the rest starts. On i386-pc the first 440 bytes of boot.img go to
 * the MBR (the partition table after them is kept) with the core's sector.
 */
export function installBiosBootCode(install: BiosInstall): void {
  const { location, sectorSize, platform } = install;
  const fd = openSync(install.image, 'r+');
  try {
    writeSync(fd, install.core, 0, install.core.length, location * sectorSize);
    if (platform !== 'i386-pc') return;
    if (location * sectorSize > 512) writeSync(fd, u64(location + 1), 0, 8, location * sectorSize + CORE_NEXT_SECTOR);
    const boot = readFileSync(install.bootImage ?? `/usr/lib/grub/${platform}/boot.img`);
    if (boot.length < MBR_CODE_SIZE) throw new Error(`${install.bootImage ?? 'boot.img'} is ${boot.length} bytes; grub's boot.img has 512`);
    writeSync(fd, boot, 0, MBR_CODE_SIZE, 0);
    writeSync(fd, u64(location), 0, 8, BOOT_KERNEL_SECTOR);
  } finally {
    closeSync(fd);
  }
}

/**
 * Why a core image of `size` bytes cannot go to sector `location` of this
 * disk, or null when it fits: it may not touch the MBR, the GPT's own
 * sectors or a partition, unless it lies wholly inside a BIOS boot or PReP
 * partition, which exist to hold it; and it must end before the disk does.
 */
export function corePlacementProblem(disk: DiskLabel, location: number, size: number, sectorSize: number): string | null {
  const last = location + Math.ceil(size / sectorSize) - 1;
  const where = `the core image (${size} bytes, sectors ${location}–${last})`;
  if (location < 1) return `${where} would overwrite the MBR: location must be 1 or more`;
  if (last >= disk.sectors) return `${where} does not fit on the disk (${disk.sectors} sectors of ${sectorSize} bytes)`;
  for (const reserved of disk.reserved) {
    if (location <= reserved.end && last >= reserved.start) return `${where} would overwrite ${reserved.what} (sectors ${reserved.start}–${Math.min(reserved.end, disk.sectors - 1)})`;
  }
  for (const p of disk.partitions) {
    if (location > p.end || last < p.start) continue;
    const holder = PREP_TYPES.includes(p.type.toUpperCase()) || p.type.toUpperCase() === BIOS_BOOT_TYPE;
    if (!holder) return `${where} overlaps partition ${p.number} (sectors ${p.start}–${p.end}, type ${p.type}), which is not a BIOS boot or PReP partition`;
    if (location < p.start || last > p.end) return `${where} does not fit in partition ${p.number} (sectors ${p.start}–${p.end})`;
  }
  return null;
}

function u64(value: number): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64LE(BigInt(value));
  return buffer;
}

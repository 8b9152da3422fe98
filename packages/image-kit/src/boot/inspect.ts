import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDiskLabel, type DiskLabel } from '../disk-label.js';

export type Firmware = 'bios' | 'uefi';
export type GuestArch = 'x86_64' | 'aarch64';

/** What `osbuild boot` needs to know about an image before starting QEMU. */
export interface ImageFacts {
  /** QEMU's name of the image format (`qemu-img info`). */
  format: string;
  /** An ISO 9660 image boots from a CD-ROM, anything else from a disk. */
  media: 'disk' | 'cdrom';
  /** The firmware the image is made for: UEFI when it has an ESP (or an El Torito EFI entry), else BIOS. */
  firmware: Firmware;
  /** The guest's architecture when the image says (discoverable root partition types, the ESP's or the ISO's `EFI/BOOT/BOOT*.EFI`), else null. */
  arch: GuestArch | null;
  /** One line each: how firmware and arch were decided, for `--verbose` and error messages. */
  evidence: string[];
}

const ESP = 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B';
/** Discoverable Partitions Specification: root and /usr partition types by architecture. */
const ARCH_TYPES: Record<string, GuestArch> = {
  '4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709': 'x86_64',
  '8484680C-9521-48C6-9C11-B0720656F69E': 'x86_64',
  'B921B045-1DF0-41C3-AF44-4C6F280D3FAE': 'aarch64',
  'B0E01050-EE5F-4390-949A-9101B17104E9': 'aarch64',
};
const EFI_LOADERS: Record<string, GuestArch> = { BOOTX64: 'x86_64', BOOTAA64: 'aarch64' };

/** The image's format, as QEMU will open it. */
export function imageFormat(image: string): string {
  const info = JSON.parse(execFileSync('qemu-img', ['info', '--output=json', image], { encoding: 'utf8' })) as { format: string };
  return info.format;
}

/** `length` bytes from `offset` of the image's guest-visible contents (qemu-img dd reads any format). */
function readGuestBytes(image: string, format: string, offset: number, length: number, scratch: string): Buffer {
  if (format === 'raw') {
    const fd = openSync(image, 'r');
    try {
      const buffer = Buffer.alloc(length);
      return buffer.subarray(0, readSync(fd, buffer, 0, length, offset));
    } finally {
      closeSync(fd);
    }
  }
  const block = 512;
  const out = join(scratch, `dd-${offset}`);
  execFileSync('qemu-img', ['dd', '-f', format, '-O', 'raw', `bs=${block}`, `skip=${Math.floor(offset / block)}`, `count=${Math.ceil(length / block)}`, `if=${image}`, `of=${out}`], { stdio: 'ignore' });
  const fd = openSync(out, 'r');
  try {
    const buffer = Buffer.alloc(length);
    return buffer.subarray(0, readSync(fd, buffer, 0, length, 0));
  } finally {
    closeSync(fd);
    rmSync(out, { force: true });
  }
}

/** The El Torito platforms of an ISO's boot catalog: 0 is x86 BIOS, 0xef is EFI. */
export function elToritoPlatforms(read: (offset: number, length: number) => Buffer): number[] {
  const record = read(17 * 2048, 2048);
  if (record.length < 0x4b || record[0] !== 0 || record.subarray(1, 6).toString('latin1') !== 'CD001' || !record.subarray(7, 30).toString('latin1').startsWith('EL TORITO SPECIFICATION')) return [];
  const catalog = read(record.readUInt32LE(0x47) * 2048, 2048);
  if (catalog.length < 64 || catalog[0] !== 1) return [];
  const platforms = new Set<number>();
  // The validation entry names the platform of the initial entry that follows it.
  if (catalog[32] === 0x88) platforms.add(catalog[1]!);
  for (let at = 64; at + 32 <= catalog.length; at += 32) {
    const id = catalog[at]!;
    if (id !== 0x90 && id !== 0x91) continue;
    const platform = catalog[at + 1]!;
    const count = catalog.readUInt16LE(at + 2);
    for (let i = 1; i <= count && at + 32 * (i + 1) <= catalog.length; i++) if (catalog[at + 32 * i] === 0x88) platforms.add(platform);
    at += 32 * count;
    if (id === 0x91) break;
  }
  return [...platforms];
}

function archFromLoaders(names: Iterable<string>): GuestArch | null {
  for (const name of names) {
    const m = /(?:^|\/)(BOOT[A-Z0-9]+)\.EFI$/i.exec(name);
    const arch = m ? EFI_LOADERS[m[1]!.toUpperCase()] : undefined;
    if (arch) return arch;
  }
  return null;
}

/** The ESP's `EFI/BOOT/BOOT*.EFI` names, read with mtools (no mount), or [] when mtools is missing or the ESP is unreadable. */
function espLoaders(image: string, format: string, label: DiskLabel, scratch: string): string[] {
  const esp = label.partitions.find((p) => p.type === ESP);
  if (!esp) return [];
  const bytes = (esp.end - esp.start + 1) * 512;
  // Beyond this the ESP is not copied out only to learn an architecture.
  if (bytes > 1024 * 1024 * 1024) return [];
  let file = image;
  let offset = esp.start * 512;
  if (format !== 'raw') {
    file = join(scratch, 'esp.img');
    execFileSync('qemu-img', ['dd', '-f', format, '-O', 'raw', 'bs=512', `skip=${esp.start}`, `count=${esp.end - esp.start + 1}`, `if=${image}`, `of=${file}`], { stdio: 'ignore' });
    offset = 0;
  }
  const listing = spawnSync('mdir', ['-b', '-i', `${file}@@${offset}`, '::/EFI/BOOT'], { encoding: 'utf8', env: { ...process.env, MTOOLS_SKIP_CHECK: '1' } });
  if (listing.error || listing.status !== 0) return [];
  return listing.stdout.split('\n').filter((l) => l.trim() !== '');
}

/** The ISO's `/EFI/BOOT/BOOT*.EFI` names (xorriso), or [] without xorriso. */
function isoLoaders(image: string): string[] {
  const r = spawnSync('xorriso', ['-indev', image, '-find', '/EFI/BOOT', '-name', '*.EFI'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return [];
  return r.stdout.split('\n').map((l) => l.trim().replace(/^'|'$/g, '')).filter((l) => l !== '');
}

/**
 * Looks at an image the way `osbuild boot` must: its format, whether it is
 * an ISO, the firmware it is made for (a GPT with an EFI system partition,
 * or an El Torito EFI entry: UEFI; else BIOS) and, where the image says,
 * its architecture.
 */
export function inspectImage(image: string): ImageFacts {
  const format = imageFormat(image);
  const scratch = mkdtempSync(join(tmpdir(), 'osbuild-boot-inspect-'));
  try {
    const read = (offset: number, length: number) => readGuestBytes(image, format, offset, length, scratch);
    const evidence: string[] = [];
    const volume = read(16 * 2048, 8);
    if (volume.subarray(1, 6).toString('latin1') === 'CD001') {
      const platforms = elToritoPlatforms(read);
      const efi = platforms.includes(0xef);
      evidence.push(`ISO 9660 with El Torito entries for ${platforms.length === 0 ? 'nothing' : platforms.map((p) => (p === 0xef ? 'EFI' : p === 0 ? 'BIOS' : `platform 0x${p.toString(16)}`)).join(' and ')}`);
      const arch = efi ? archFromLoaders(isoLoaders(image)) : null;
      if (arch) evidence.push(`its EFI loader is for ${arch}`);
      return { format, media: 'cdrom', firmware: efi ? 'uefi' : 'bios', arch, evidence };
    }
    // The label and its entries sit in the first MiB (entries at LBA 2 on every GPT we make).
    const head = join(scratch, 'head.img');
    const bytes = read(0, 1024 * 1024);
    // readDiskLabel reads a file; the head of the disk is enough.
    writeFileSync(head, bytes);
    const label = readDiskLabel(head);
    const esp = label.partitions.find((p) => p.type === ESP);
    const uefi = label.label === 'gpt' && esp !== undefined;
    evidence.push(label.label === null ? 'no partition table' : `${label.label} partition table${label.label === 'gpt' ? (esp ? ` with an EFI system partition (${esp.number})` : ' without an EFI system partition') : ''}`);
    let arch: GuestArch | null = null;
    for (const p of label.partitions) {
      const a = ARCH_TYPES[p.type];
      if (a) {
        arch = a;
        evidence.push(`partition ${p.number} has the ${a} root/usr type`);
        break;
      }
    }
    if (arch === null && uefi) {
      arch = archFromLoaders(espLoaders(image, format, label, scratch));
      if (arch) evidence.push(`the ESP holds the ${arch} EFI loader`);
    }
    return { format, media: 'disk', firmware: uefi ? 'uefi' : 'bios', arch, evidence };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

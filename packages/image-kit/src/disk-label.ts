import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** One partition, in sectors of the size the label was read with. */
export interface LabelPartition {
  /** 1-based, as sfdisk and grub count. */
  number: number;
  start: number;
  /** Last sector, inclusive. */
  end: number;
  /** `83`, `ef`… (dos) or the type GUID in upper case (gpt). */
  type: string;
}

export interface DiskLabel {
  label: 'dos' | 'gpt' | null;
  /** Sectors in the image. */
  sectors: number;
  partitions: LabelPartition[];
  /** Sectors no partition may use: the label's own structures (GPT), in ranges. */
  reserved: { start: number; end: number; what: string }[];
}

const GPT_SIGNATURE = 'EFI PART';

/**
 * Reads a disk's partition table straight from its first sectors: enough
 * to know where things are, without sfdisk. A protective MBR (type 0xee)
 * means GPT; anything else with the 0x55aa signature is dos; without the
 * signature the disk has no label.
 */
export function readDiskLabel(image: string, sectorSize = 512): DiskLabel {
  const fd = openSync(image, 'r');
  try {
    const sectors = Math.floor(fstatSync(fd).size / sectorSize);
    const read = (offset: number, length: number) => {
      const buffer = Buffer.alloc(length);
      const n = readSync(fd, buffer, 0, length, offset);
      return buffer.subarray(0, n);
    };
    const mbr = read(0, 512);
    if (mbr.length < 512 || mbr.readUInt16LE(510) !== 0xaa55) return { label: null, sectors, partitions: [], reserved: [] };
    const entries = [0, 1, 2, 3].map((i) => mbr.subarray(446 + i * 16, 462 + i * 16));
    if (entries.some((e) => e[4] === 0xee)) {
      const gpt = readGpt(read, sectorSize);
      if (gpt) return { label: 'gpt', sectors, ...gpt };
    }
    const partitions = entries.flatMap((e, i) => {
      const type = e[4] ?? 0;
      const start = e.readUInt32LE(8);
      const count = e.readUInt32LE(12);
      return type === 0 || count === 0 ? [] : [{ number: i + 1, start, end: start + count - 1, type: type.toString(16).padStart(2, '0') }];
    });
    return { label: 'dos', sectors, partitions, reserved: [] };
  } finally {
    closeSync(fd);
  }
}

function readGpt(read: (offset: number, length: number) => Buffer, sectorSize: number): Omit<DiskLabel, 'label' | 'sectors'> | null {
  const header = read(sectorSize, 92);
  if (header.length < 92 || header.subarray(0, 8).toString('latin1') !== GPT_SIGNATURE) return null;
  const firstUsable = Number(header.readBigUInt64LE(40));
  const lastUsable = Number(header.readBigUInt64LE(48));
  const entriesLba = Number(header.readBigUInt64LE(72));
  const count = header.readUInt32LE(80);
  const entrySize = header.readUInt32LE(84);
  const table = read(entriesLba * sectorSize, count * entrySize);
  const partitions: LabelPartition[] = [];
  for (let i = 0; i < count && (i + 1) * entrySize <= table.length; i++) {
    const entry = table.subarray(i * entrySize, (i + 1) * entrySize);
    const type = guid(entry.subarray(0, 16));
    if (type === '00000000-0000-0000-0000-000000000000') continue;
    partitions.push({ number: i + 1, start: Number(entry.readBigUInt64LE(32)), end: Number(entry.readBigUInt64LE(40)), type });
  }
  return {
    partitions,
    reserved: [
      { start: 1, end: firstUsable - 1, what: 'the GPT header and partition entries' },
      { start: lastUsable + 1, end: Number.MAX_SAFE_INTEGER, what: 'the backup GPT' },
    ],
  };
}

/** A GUID as text: the first three fields are stored little-endian. */
function guid(bytes: Buffer): string {
  const hex = (b: Buffer) => b.toString('hex').toUpperCase();
  const swapped = (start: number, end: number) => hex(Buffer.from(bytes.subarray(start, end)).reverse());
  return `${swapped(0, 4)}-${swapped(4, 6)}-${swapped(6, 8)}-${hex(bytes.subarray(8, 10))}-${hex(bytes.subarray(10, 16))}`;
}

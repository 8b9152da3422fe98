import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import type { CpioOptions } from './cpio-options.js';

type Format = NonNullable<CpioOptions['format']>;

/** Formats whose member times this module can rewrite in place. */
export const CLAMPABLE: ReadonlySet<Format> = new Set(['newc', 'crc', 'odc', 'tar', 'ustar']);

/**
 * Sets every member time of the archive that is later than `epoch` to
 * `epoch`, in place. GNU cpio has no --clamp-mtime: a tree's directories
 * carry the time they were made, so without this the same tree built twice
 * gives different bytes. Returns how many members were changed.
 */
export function clampArchiveMtimes(file: string, format: Format, epoch: number): number {
  const fd = openSync(file, 'r+');
  try {
    const size = fstatSync(fd).size;
    if (format === 'newc' || format === 'crc') return clampNewc(fd, size, epoch);
    if (format === 'odc') return clampOdc(fd, size, epoch);
    if (format === 'tar' || format === 'ustar') return clampTar(fd, size, epoch);
    return 0;
  } finally {
    closeSync(fd);
  }
}

function read(fd: number, offset: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  const got = readSync(fd, buffer, 0, length, offset);
  if (got !== length) throw new Error(`cpio archive ends inside a header at byte ${offset}`);
  return buffer;
}

const pad4 = (n: number) => (n + 3) & ~3;

/** newc/crc: 110-byte ASCII header, hex fields; name and data each padded to 4 bytes. */
function clampNewc(fd: number, size: number, epoch: number): number {
  let changed = 0;
  for (let offset = 0; offset + 110 <= size; ) {
    const header = read(fd, offset, 110);
    const magic = header.toString('latin1', 0, 6);
    if (magic !== '070701' && magic !== '070702') throw new Error(`not a newc/crc member at byte ${offset} (magic ${JSON.stringify(magic)})`);
    const field = (i: number) => parseInt(header.toString('latin1', 6 + i * 8, 14 + i * 8), 16);
    const mtime = field(5);
    const fileSize = field(6);
    const nameSize = field(11);
    const name = read(fd, offset + 110, nameSize - 1).toString('latin1');
    if (mtime > epoch) {
      writeSync(fd, Buffer.from(epoch.toString(16).toUpperCase().padStart(8, '0'), 'latin1'), 0, 8, offset + 46);
      changed++;
    }
    if (name === 'TRAILER!!!') break;
    offset = pad4(pad4(offset + 110 + nameSize) + fileSize);
  }
  return changed;
}

/** odc: 76-byte ASCII header, octal fields; no padding. */
function clampOdc(fd: number, size: number, epoch: number): number {
  let changed = 0;
  for (let offset = 0; offset + 76 <= size; ) {
    const header = read(fd, offset, 76);
    if (header.toString('latin1', 0, 6) !== '070707') throw new Error(`not an odc member at byte ${offset}`);
    const mtime = parseInt(header.toString('latin1', 48, 59), 8);
    const nameSize = parseInt(header.toString('latin1', 59, 65), 8);
    const fileSize = parseInt(header.toString('latin1', 65, 76), 8);
    const name = read(fd, offset + 76, nameSize - 1).toString('latin1');
    if (mtime > epoch) {
      writeSync(fd, Buffer.from(epoch.toString(8).padStart(11, '0'), 'latin1'), 0, 11, offset + 48);
      changed++;
    }
    if (name === 'TRAILER!!!') break;
    offset += 76 + nameSize + fileSize;
  }
  return changed;
}

/** tar/ustar: 512-byte headers with an octal mtime and a checksum over the header. */
function clampTar(fd: number, size: number, epoch: number): number {
  let changed = 0;
  for (let offset = 0; offset + 512 <= size; ) {
    const header = read(fd, offset, 512);
    if (header.every((byte) => byte === 0)) break;
    const mtime = parseInt(header.toString('latin1', 136, 148).replace(/\0.*$/, '').trim() || '0', 8);
    const fileSize = parseInt(header.toString('latin1', 124, 136).replace(/\0.*$/, '').trim() || '0', 8);
    if (mtime > epoch) {
      header.write(`${epoch.toString(8).padStart(11, '0')}\0`, 136, 12, 'latin1');
      header.fill(0x20, 148, 156);
      const sum = header.reduce((total, byte) => total + byte, 0);
      header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1');
      writeSync(fd, header, 0, 512, offset);
      changed++;
    }
    offset += 512 + Math.ceil(fileSize / 512) * 512;
  }
  return changed;
}

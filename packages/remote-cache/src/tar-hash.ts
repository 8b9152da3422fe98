/**
 * The sha256 of every regular file of a tar stream, taken while the stream
 * passes on to `tar --extract`: the store's import then does not read the
 * unpacked files a second time to make the layer's manifest (see the
 * store's `importLayer` `hashes`). Reads POSIX (pax) archives as packLayer
 * writes them, and plain ustar/GNU ones: pax `path`/`linkpath`/`size`
 * records, GNU long names (L/K). A hard link's content is its target's.
 * Entries it cannot account for (sparse files, an archive it does not
 * understand) are simply left out: the import hashes those files from disk.
 */
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

const BLOCK = 512;

/** A tar member path as the store's manifest names it: no leading `./` or `/`, no trailing `/`, '' for the root. */
export function memberPath(name: string): string {
  let path = name;
  while (path.startsWith('./')) path = path.slice(2);
  path = path.replace(/^\/+/, '').replace(/\/+$/, '');
  return path === '.' ? '' : path;
}

export class TarHasher extends Transform {
  /** Relative path → sha256 (hex) of each regular file's content. */
  readonly hashes = new Map<string, string>();
  /** Hard links: path → target path, resolved at the end. */
  private readonly links = new Map<string, string>();
  private header: Buffer = Buffer.alloc(0);
  /** Bytes of the current member's data (and padding) still to come. */
  private remaining = 0;
  private padding = 0;
  private hash: Hash | null = null;
  private path = '';
  /** Data of a pax/GNU long-name member being collected. */
  private meta: Buffer[] | null = null;
  private metaType = '';
  private pax: Record<string, string> = {};
  private longName: string | null = null;
  private longLink: string | null = null;
  /** Set once the stream is something this parser does not follow: hashing stops, bytes still pass. */
  private lost = false;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (!this.lost) {
      try {
        this.consume(chunk);
      } catch {
        this.lost = true;
        this.hashes.clear();
      }
    }
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (!this.lost) {
      for (const [path, target] of this.links) {
        const hex = this.hashes.get(target);
        if (hex !== undefined) this.hashes.set(path, hex);
      }
    }
    done();
  }

  private consume(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.remaining > 0) {
        const n = Math.min(this.remaining, chunk.length - at);
        const part = chunk.subarray(at, at + n);
        this.hash?.update(part);
        this.meta?.push(part);
        this.remaining -= n;
        at += n;
        if (this.remaining === 0) this.endData();
        continue;
      }
      if (this.padding > 0) {
        const n = Math.min(this.padding, chunk.length - at);
        this.padding -= n;
        at += n;
        continue;
      }
      const n = Math.min(BLOCK - this.header.length, chunk.length - at);
      this.header = this.header.length === 0 && n === BLOCK ? chunk.subarray(at, at + n) : Buffer.concat([this.header, chunk.subarray(at, at + n)]);
      at += n;
      if (this.header.length === BLOCK) {
        const header = this.header;
        this.header = Buffer.alloc(0);
        this.startMember(header);
      }
    }
  }

  private startMember(header: Buffer): void {
    if (header.every((b) => b === 0)) return; // end-of-archive blocks
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : header[i]!;
    if (sum !== octal(header, 148, 8)) throw new Error('not a tar header');
    const type = String.fromCharCode(header[156]!);
    const prefix = header.subarray(257, 263).toString('latin1').startsWith('ustar') ? cString(header, 345, 155) : '';
    const name = cString(header, 0, 100);
    let size = sizeField(header);
    if (type === 'x' || type === 'g' || type === 'L' || type === 'K') {
      this.meta = [];
      this.metaType = type;
      this.begin(size);
      return;
    }
    const pax = this.pax;
    this.pax = {};
    if (pax['size'] !== undefined) size = Number(pax['size']);
    const path = memberPath(pax['path'] ?? this.longName ?? (prefix === '' ? name : `${prefix}/${name}`));
    const link = pax['linkpath'] ?? this.longLink ?? cString(header, 157, 100);
    this.longName = null;
    this.longLink = null;
    if (type === 'S' || pax['GNU.sparse.major'] !== undefined || pax['GNU.sparse.size'] !== undefined) {
      // Sparse: the archived bytes are not the file's content; left to the import's own hashing.
      this.begin(size);
      return;
    }
    if (type === '0' || type === '\0' || type === '7') {
      this.path = path;
      this.hash = createHash('sha256');
      this.begin(size);
      if (size === 0) this.endData();
      return;
    }
    if (type === '1') this.links.set(path, memberPath(link));
    // Directories, symlinks, devices, fifos: no data (a size is skipped all the same).
    this.begin(type === '5' || type === '2' || type === '3' || type === '4' || type === '6' || type === '1' ? 0 : size);
  }

  private begin(size: number): void {
    if (!Number.isSafeInteger(size) || size < 0) throw new Error('bad size');
    this.remaining = size;
    this.padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (size === 0 && this.meta !== null) this.endData();
  }

  private endData(): void {
    if (this.hash !== null) {
      this.hashes.set(this.path, this.hash.digest('hex'));
      this.hash = null;
      return;
    }
    if (this.meta === null) return;
    const data = Buffer.concat(this.meta);
    this.meta = null;
    if (this.metaType === 'L') this.longName = cString(data, 0, data.length);
    else if (this.metaType === 'K') this.longLink = cString(data, 0, data.length);
    else if (this.metaType === 'x') this.pax = parsePax(data);
    // 'g' (global) records: packLayer writes none that matter here.
  }
}

function cString(buf: Buffer, start: number, length: number): string {
  const end = buf.indexOf(0, start);
  return buf.subarray(start, end < 0 || end > start + length ? start + length : end).toString('utf8');
}

function octal(buf: Buffer, start: number, length: number): number {
  const text = cString(buf, start, length).trim();
  return text === '' ? 0 : Number.parseInt(text, 8);
}

function sizeField(header: Buffer): number {
  if ((header[124]! & 0x80) !== 0) {
    // GNU base-256 size.
    let value = 0;
    for (let i = 125; i < 136; i++) value = value * 256 + header[i]!;
    return value;
  }
  return octal(header, 124, 12);
}

/** pax extended header records: "LEN key=value\n". */
function parsePax(data: Buffer): Record<string, string> {
  const records: Record<string, string> = {};
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    if (space < 0) break;
    const length = Number.parseInt(data.subarray(at, space).toString('latin1'), 10);
    if (!(length > 0)) throw new Error('bad pax record');
    const record = data.subarray(space + 1, at + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) records[record.slice(0, eq)] = record.slice(eq + 1);
    at += length;
  }
  return records;
}

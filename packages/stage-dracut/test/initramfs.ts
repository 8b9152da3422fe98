// Reading an initramfs in tests with the host's tools: leading uncompressed
// cpio archives (early microcode) are skipped, the rest is decompressed by
// its magic with gzip, zstd, xz, lz4 or bzip2 and listed or read with cpio.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const DECOMPRESSORS: [number[], string[]][] = [
  [[0x1f, 0x8b], ['gzip', '-dc']],
  [[0x28, 0xb5, 0x2f, 0xfd], ['zstd', '-dc']],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a], ['xz', '-dc']],
  [[0x02, 0x21, 0x4c, 0x18], ['lz4', '-dc']],
  [[0x42, 0x5a, 0x68], ['bzip2', '-dc']],
];

/** The main (last) cpio archive of an initramfs, uncompressed. */
export function mainArchive(file: string): Buffer {
  const image = readFileSync(file);
  let offset = 0;
  while (image.toString('latin1', offset, offset + 6).startsWith('07070')) {
    const next = skipArchive(image, offset);
    if (next >= image.length) return image.subarray(offset); // one uncompressed archive and nothing after it
    offset = next;
    while (offset < image.length && image[offset] === 0) offset++;
  }
  const rest = image.subarray(offset);
  const found = DECOMPRESSORS.find(([magic]) => magic.every((byte, i) => rest[i] === byte));
  if (!found) throw new Error(`${file}: unknown compression at byte ${offset} (${rest.subarray(0, 6).toString('hex')})`);
  const [command, ...args] = found[1] as [string, ...string[]];
  const result = spawnSync(command, args, { input: rest, maxBuffer: 1 << 30 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr.toString()}`);
  return result.stdout;
}

/** The end of the newc cpio archive starting at `offset` (after its TRAILER!!! entry). */
function skipArchive(image: Buffer, offset: number): number {
  const align = (n: number) => (n + 3) & ~3;
  for (;;) {
    const field = (i: number) => parseInt(image.toString('latin1', offset + 6 + i * 8, offset + 14 + i * 8), 16);
    const fileSize = field(6);
    const nameSize = field(11);
    const name = image.toString('latin1', offset + 110, offset + 110 + nameSize - 1);
    offset = align(align(offset + 110 + nameSize) + fileSize);
    if (name === 'TRAILER!!!') return offset;
  }
}

/** The member names of the initramfs's main archive, as `cpio -t` lists them. */
export function initramfsMembers(file: string): string[] {
  const result = spawnSync('cpio', ['-t', '--quiet'], { input: mainArchive(file), maxBuffer: 1 << 28 });
  if (result.status !== 0) throw new Error(`cpio -t: ${result.stderr.toString()}`);
  return result.stdout.toString('utf8').split('\n').filter(Boolean);
}

/** One member's content, as `cpio -i --to-stdout` extracts it. */
export function initramfsFile(file: string, member: string): string {
  const result = spawnSync('cpio', ['-i', '--quiet', '--to-stdout', member], { input: mainArchive(file), maxBuffer: 1 << 28 });
  if (result.status !== 0) throw new Error(`cpio -i ${member}: ${result.stderr.toString()}`);
  return result.stdout.toString('utf8');
}

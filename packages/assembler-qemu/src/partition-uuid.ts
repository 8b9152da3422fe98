import { createHash } from 'node:crypto';

/**
 * A GPT partition's UUID when the options give none: derived from the
 * table's UUID and the partition's position, so that the same options give
 * the same image (sfdisk would pick a random one). Shaped as a version 4
 * UUID.
 */
export function derivedPartitionUuid(ptuuid: string, index: number): string {
  const hex = createHash('sha256').update(`osbuild-ts org.osbuild.qemu partition\0${ptuuid.toLowerCase()}\0${index}`).digest('hex');
  const variant = ((parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

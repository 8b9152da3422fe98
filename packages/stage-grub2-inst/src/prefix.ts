import { partitionPrefix } from '@osbuild-ts/image-kit';
import type { PrefixOptions } from './options.js';

/**
 * grub's prefix, where the core image looks for its modules and grub.cfg:
 * a partition of the disk it was loaded from, `(,gpt3)/boot/grub2`
 * (`number` counts from 0), or a path on that device as it stands.
 */
export function grubPrefix(prefix: PrefixOptions): string {
  if ('number' in prefix) return partitionPrefix(prefix.partlabel, prefix.number, prefix.path);
  return prefix.path;
}

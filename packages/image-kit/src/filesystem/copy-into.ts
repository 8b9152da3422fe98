import { runTool } from '@osbuild-ts/plugin-kit';

/**
 * Copies a file system image into the disk image at `offset`, skipping
 * zero blocks so that both stay sparse (the target range is fresh, all
 * zero). `dd conv=sparse,notrunc` with byte offsets.
 */
export function copyInto(source: string, image: string, offset: number): void {
  runTool('dd', [`if=${source}`, `of=${image}`, 'bs=1M', `seek=${offset}`, 'oflag=seek_bytes', 'conv=sparse,notrunc', 'status=none']);
}

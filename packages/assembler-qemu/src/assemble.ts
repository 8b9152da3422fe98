import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { requireTools } from '@osbuild-ts/image-kit';
import { convertImage } from './convert.js';
import { buildBtrfs } from './fs-btrfs.js';
import { buildExt4, type BuildContext } from './fs-ext4.js';
import { buildVfat, type ExtraFile } from './fs-vfat.js';
import { buildXfs } from './fs-xfs.js';
import { installGrubBios } from './grub-bios.js';
import { efiLoader, findEsp } from './grub-efi.js';
import { planFilesystems } from './layout.js';
import { checkOptions, partitionTableFromOptions, type QemuOptions } from './options.js';
import { writePartitionTable } from './sfdisk.js';
import { requiredTools } from './required-tools.js';

export interface AssembleInput {
  options: QemuOptions;
  /** The built tree, read-only. */
  tree: string;
  /** The (empty) output directory. */
  output: string;
  epoch: number | null;
  log: (line: string) => void;
}

/**
 * Builds the disk image without mounting anything: a sparse raw file, the
 * partition table (sfdisk), grub's BIOS stages, every file system written
 * straight into its partition from its part of the tree, then the
 * requested format. Returns the output file's path.
 */
export function assemble(input: AssembleInput): string {
  const { options, log } = input;
  checkOptions(options);
  const table = partitionTableFromOptions(options);
  const bootloader = options.bootloader?.type ?? (table.label === 'dos' ? 'grub2' : 'none');
  if (bootloader === 'zipl') throw new Error('bootloader "zipl" (s390x) is not supported by this assembler');
  requireTools(requiredTools(options, table, bootloader));

  const output = join(input.output, options.filename.replace(/^\/+/, ''));
  const work = mkdtempSync(join(input.output, '.qemu-assembler-'));
  try {
    // raw is built where it ends up; other formats from a scratch raw image.
    const image = options.format === 'raw' ? output : join(work, 'image.raw');
    const fd = openSync(image, 'w');
    ftruncateSync(fd, options.size);
    closeSync(fd);

    const partitions = writePartitionTable(image, table);
    const plans = planFilesystems(partitions);
    if (bootloader === 'grub2') {
      installGrubBios({ image, tree: input.tree, work, label: table.label, partitions, plans, platform: options.bootloader?.platform ?? 'i386-pc', log });
    }
    const esp = findEsp(plans);
    const extra: ExtraFile[] = [];
    if (esp) {
      const loader = efiLoader({ tree: input.tree, work, esp, plans, epoch: input.epoch, log });
      if (loader) extra.push(loader);
    }
    const ctx: BuildContext = { image, tree: input.tree, epoch: input.epoch, work, log };
    for (const plan of plans) {
      const started = Date.now();
      switch (plan.filesystem.type) {
        case 'ext4':
          buildExt4(ctx, plan);
          break;
        case 'xfs':
          buildXfs(ctx, plan);
          break;
        case 'btrfs':
          buildBtrfs(ctx, plan);
          break;
        case 'vfat':
          buildVfat(ctx, plan, plan === esp ? extra : []);
          break;
      }
      log(`${plan.filesystem.type} ${plan.filesystem.uuid} at ${plan.mountpoint} (partition ${plan.partition.index + 1}): ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    convertImage(options, image, output, log);
    return output;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

import { runTool } from '@osbuild-ts/plugin-kit';

/** Partition table labels as upstream names them (`mbr` is `dos`). */
export type PartLabel = 'dos' | 'mbr' | 'gpt';

/** grub's module that reads each file system /boot can be on. */
export const GRUB_FS_MODULES: Readonly<Record<string, string>> = {
  ext2: 'ext2',
  ext3: 'ext2',
  ext4: 'ext2',
  xfs: 'xfs',
  btrfs: 'btrfs',
  vfat: 'fat',
  fat: 'fat',
  iso9660: 'iso9660',
};

export interface CoreImageSpec {
  /** grub's platform: `i386-pc`, `powerpc-ieee1275`, … (`/usr/lib/grub/<platform>`). */
  platform: string;
  /** The disk's partition table. */
  partlabel: PartLabel;
  /** The file system holding grub's directory (the prefix). */
  filesystem: string;
  /** Where grub finds its modules and grub.cfg: `(,gpt2)/boot/grub2` or a path. */
  prefix: string;
  /** Modules directory; default `/usr/lib/grub/<platform>`. */
  directory?: string;
}

/** grub's name for a partition table in a device name (`msdos1`, `gpt3`). */
export function grubPartitionTable(label: PartLabel): 'msdos' | 'gpt' {
  if (label === 'dos' || label === 'mbr') return 'msdos';
  if (label === 'gpt') return 'gpt';
  throw new Error(`unknown partition table label "${String(label)}" (expected dos, mbr or gpt)`);
}

/**
 * The prefix naming a partition of the disk grub was loaded from:
 * `(,gpt3)/boot/grub2` for the third partition (`index` counts from 0, as
 * upstream's `number` does; grub counts from 1).
 */
export function partitionPrefix(label: PartLabel, index: number, path: string): string {
  if (!Number.isSafeInteger(index) || index < 0) throw new Error(`partition number ${index} must be a whole number, 0 or more (the first partition is 0)`);
  return `(,${grubPartitionTable(label)}${index + 1})/${path.replace(/^\/+/, '')}`;
}

/**
 * What goes into the core image, as upstream chooses it: disk access
 * (`biosdisk` on i386-pc; firmware does it elsewhere), the partition
 * table's module and the module of the file system holding the prefix.
 * An iso9660 core is an El Torito boot image.
 */
export function coreImageModules(spec: Pick<CoreImageSpec, 'platform' | 'partlabel' | 'filesystem'>): { format: string; modules: string[] } {
  const modules = spec.platform === 'i386-pc' ? ['biosdisk'] : [];
  modules.push(grubPartitionTable(spec.partlabel) === 'msdos' ? 'part_msdos' : 'part_gpt');
  const fsModule = GRUB_FS_MODULES[spec.filesystem];
  if (!fsModule) throw new Error(`unknown boot filesystem type: '${spec.filesystem}' (known: ${Object.keys(GRUB_FS_MODULES).join(', ')})`);
  modules.push(fsModule);
  return { format: spec.filesystem === 'iso9660' ? 'i386-pc-eltorito' : spec.platform, modules };
}

/** The grub-mkimage arguments for a core image written to `output`. */
export function coreImageArguments(spec: CoreImageSpec, output: string): string[] {
  const { format, modules } = coreImageModules(spec);
  return [
    '--directory', spec.directory ?? `/usr/lib/grub/${spec.platform}`,
    '--prefix', spec.prefix,
    '--format', format,
    '--compression', 'auto',
    '--output', output,
    ...modules,
  ];
}

/** Makes the core image with the build root's grub-mkimage (see findGrubMkimage). */
export function makeCoreImage(mkimage: string, spec: CoreImageSpec, output: string): void {
  runTool(mkimage, coreImageArguments(spec, output));
}

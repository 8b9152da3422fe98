import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { arch } from 'node:process';
import { EFI_LOADER_NAMES, buildEfiLoader, efiPlatformForMachine, findCommand } from '@osbuild-ts/image-kit';
import { grubDirInTree } from './grub-dir.js';
import type { FilesystemPlan } from './layout.js';
import type { ExtraFile } from './fs-vfat.js';

const ESP_TYPES = new Set(['C12A7328-F81F-11D2-BA4B-00A0C93EC93B', 'EF']);

/** The ESP: a vfat file system on an EFI System partition, or at /boot/efi or /efi. */
export function findEsp(plans: readonly FilesystemPlan[]): FilesystemPlan | null {
  const vfat = plans.filter((p) => p.filesystem.type === 'vfat');
  return vfat.find((p) => ESP_TYPES.has(p.partition.type.toUpperCase())) ?? vfat.find((p) => p.mountpoint === '/boot/efi' || p.mountpoint === '/efi') ?? null;
}

export interface EfiLoaderInput {
  tree: string;
  work: string;
  esp: FilesystemPlan;
  plans: readonly FilesystemPlan[];
  epoch: number | null;
  log: (line: string) => void;
  machine?: string;
}

/**
 * A grub EFI loader for the ESP's removable-media path (EFI/BOOT/BOOTX64.EFI
 * on x86_64), which firmware boots without any boot entry in its NVRAM, when
 * the tree does not bring one (Fedora's shim does; Debian's unsigned grub
 * does not). Made with grub-mkimage from the build root, all modules it
 * may need built in. It reads the vendor's configuration on the ESP
 * (EFI/<vendor>/grub.cfg, which org.osbuild.grub2 writes) or, without one,
 * the tree's /boot/grub(2)/grub.cfg, found by its file system's UUID.
 * Null (with a note) when nothing is to be done or it cannot be made.
 */
export function efiLoader(input: EfiLoaderInput): ExtraFile | null {
  const platform = efiPlatformForMachine(input.machine ?? arch);
  const loader = platform ? EFI_LOADER_NAMES[platform] : undefined;
  if (!platform || !loader) return null;
  const espRoot = join(input.tree, input.esp.mountpoint);
  if (hasFile(join(espRoot, 'EFI', 'BOOT'), loader)) return null;
  const modulesDir = `/usr/lib/grub/${platform}`;
  const mkimage = findCommand('grub2-mkimage', 'grub-mkimage');
  if (!existsSync(modulesDir) || !mkimage) {
    input.log(`grub2: the ESP gets no EFI loader: the build root lacks ${existsSync(modulesDir) ? 'grub-mkimage (grub-common)' : `${modulesDir} (grub-efi-amd64-bin)`}`);
    return null;
  }
  const vendor = vendorConfig(espRoot);
  let prefix: string;
  let config: string | undefined;
  if (vendor) {
    // No device in the prefix: grub takes the one it was loaded from, the ESP.
    prefix = `/EFI/${vendor}`;
    input.log(`grub2: EFI loader ${loader} reading /EFI/${vendor}/grub.cfg on the ESP`);
  } else {
    const located = treeConfig(input);
    if (!located) {
      input.log('grub2: the ESP gets no EFI loader: the tree has no grub configuration (EFI/<vendor>/grub.cfg or /boot/grub*/grub.cfg)');
      return null;
    }
    const embedded = join(input.work, 'efi-embedded.cfg');
    writeFileSync(embedded, `search --no-floppy --set=root --fs-uuid ${located.uuid}\nset prefix=($root)${located.path}\nconfigfile $prefix/grub.cfg\n`);
    prefix = located.path;
    config = embedded;
    input.log(`grub2: EFI loader ${loader} reading ${located.path}/grub.cfg on the file system ${located.uuid}`);
  }
  const dir = join(input.work, 'efi');
  mkdirSync(dir, { recursive: true });
  const output = join(dir, loader);
  // mcopy keeps the loader's mtime on the ESP: the epoch, where there is one.
  buildEfiLoader({ mkimage, platform: platform, directory: modulesDir, prefix, ...(config ? { config } : {}), output, mtime: input.epoch });
  return { path: `EFI/BOOT/${loader}`, source: output };
}

/** Whether `dir` has `name`, compared as FAT compares names, without case. */
function hasFile(dir: string, name: string): boolean {
  try {
    return readdirSync(dir).some((n) => n.toUpperCase() === name.toUpperCase());
  } catch {
    return false;
  }
}

/** The first EFI/<vendor>/grub.cfg on the ESP (BOOT aside), by name. */
function vendorConfig(espRoot: string): string | null {
  let vendors: string[];
  try {
    vendors = readdirSync(join(espRoot, 'EFI')).sort();
  } catch {
    return null;
  }
  return vendors.find((v) => v.toUpperCase() !== 'BOOT' && existsSync(join(espRoot, 'EFI', v, 'grub.cfg'))) ?? null;
}

/** The tree's grub directory as seen from its file system, and that file system's UUID. */
function treeConfig(input: EfiLoaderInput): { uuid: string; path: string } | null {
  const { dir } = grubDirInTree(input.tree, 'x86_64-efi');
  if (!existsSync(join(input.tree, dir, 'grub.cfg'))) return null;
  const holder = [...input.plans].reverse().find((p) => p.mountpoint === '/' || dir === p.mountpoint || dir.startsWith(p.mountpoint + '/'));
  if (!holder) return null;
  return { uuid: holder.filesystem.uuid, path: '/' + posix.relative(holder.mountpoint, dir) };
}

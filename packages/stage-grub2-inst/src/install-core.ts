import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corePlacementProblem, findGrubMkimage, installBiosBootCode, makeCoreImage, readDiskLabel } from '@osbuild-ts/image-kit';
import type { Grub2InstOptions } from './options.js';
import { grubPrefix } from './prefix.js';

/** Debian's and Fedora's package with each platform's modules. */
const MODULE_PACKAGES: Record<string, string> = {
  'i386-pc': 'grub-pc-bin on Debian, grub2-pc-modules on Fedora',
  'powerpc-ieee1275': 'grub-ieee1275-bin on Debian, grub2-ppc64le-modules on Fedora',
};

/**
 * Makes the core image with the build root's grub-mkimage and writes it,
 * with boot.img on i386-pc, into the disk image `image`; without a
 * location the core image replaces the file (an El Torito boot image).
 */
export function installCore(image: string, options: Grub2InstOptions, log: (line: string) => void): void {
  const { platform, core } = options;
  const sectorSize = options['sector-size'] ?? 512;
  const directory = `/usr/lib/grub/${platform}`;
  if (!existsSync(directory)) {
    throw new Error(`platform ${platform}: ${directory} is not in the build root (${MODULE_PACKAGES[platform] ?? `the package with grub's ${platform} modules`})`);
  }
  if (platform === 'i386-pc' && options.location && !existsSync(join(directory, 'boot.img'))) throw new Error(`${directory}/boot.img is not in the build root`);
  const mkimage = findGrubMkimage(core.binary);
  if (mkimage.note) log(mkimage.note);
  const prefix = grubPrefix(options.prefix);
  log(`prefix: ${prefix}`);

  const work = mkdtempSync(join(tmpdir(), 'grub2-inst-'));
  try {
    const corePath = join(work, 'core.img');
    makeCoreImage(mkimage.path, { platform, partlabel: core.partlabel, filesystem: core.filesystem, prefix, directory }, corePath);
    const size = statSync(corePath).size;
    log(`grub core size is ${size}`);
    if (!options.location) {
      // Upstream's way for an El Torito image (and for location 0): the core image is the file.
      log(`no location: the core image is ${options.filename}`);
      copyFileSync(corePath, image);
      return;
    }
    const disk = readDiskLabel(image, sectorSize);
    const wanted = core.partlabel === 'dos' ? 'dos' : 'gpt';
    if (disk.label !== null && disk.label !== wanted) {
      throw new Error(`core.partlabel is ${core.partlabel}, but ${options.filename} has a ${disk.label} partition table`);
    }
    const problem = corePlacementProblem(disk, options.location, size, sectorSize);
    if (problem) throw new Error(`location ${options.location}: ${problem}`);
    log(`writing core to sector ${options.location} (byte ${options.location * sectorSize})`);
    installBiosBootCode({ image, core: readFileSync(corePath), location: options.location, sectorSize, platform });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

#!/usr/bin/env node
import { copyFileSync, existsSync, mkdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildEfiLoader, efiModulesDirectory, findGrubMkimage, grubIsoConfig, sourceEpoch, type GrubIsoOptions } from '@osbuild-ts/image-kit';
import { runStage } from '@osbuild-ts/plugin-kit';
import { ISO_LOADER_MODULES, efiArchitecture } from './efi-files.js';

interface Grub2IsoOptions extends GrubIsoOptions {
  architectures?: string[];
  vendor?: string;
}

const FONT = '/usr/share/grub/unicode.pf2';

/** copy2: content, mode and times. */
function copy2(from: string, to: string): void {
  copyFileSync(from, to);
  const st = statSync(from);
  utimesSync(to, st.atime, st.mtime);
}

await runStage<Grub2IsoOptions>((args) => {
  const options = args.options;
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const architectures = options.architectures;
  if (!architectures || architectures.length === 0) throw new Error('architectures: name the EFI architectures of the ISO (e.g. ["X64"])');
  const efidir = join(args.tree, 'EFI', 'BOOT');
  if (existsSync(efidir)) throw new Error('the tree has an EFI/BOOT directory already (this stage writes it)');
  mkdirSync(efidir, { recursive: true });
  const epoch = sourceEpoch(args);

  for (const name of architectures) {
    const arch = efiArchitecture(name);
    const vendorDir = options.vendor === undefined ? null : join('/boot/efi/EFI', options.vendor);
    const shim = vendorDir === null ? null : join(vendorDir, arch.shim);
    if (shim !== null && vendorDir !== null && existsSync(shim)) {
      // Upstream's way: the build root's signed shim, MokManager and grub.
      for (const [from, to] of arch.shimFiles) {
        const source = join(vendorDir, from);
        if (!existsSync(source)) throw new Error(`architectures ${name}: ${source} is missing from the build root (shim and grub2-efi packages)`);
        copy2(source, join(efidir, to));
      }
      continue;
    }
    // Without shim (Debian's grub-efi-*-bin ships modules only): a grub
    // loader reading EFI/BOOT/grub.cfg on the ESP image it is loaded from.
    if (arch.platform === null) throw new Error(`architectures ${name}: no shim${arch.arch}.efi in the build root and grub has no EFI platform for it`);
    const why = options.vendor === undefined ? 'no vendor given' : `${shim} is not in the build root`;
    const mkimage = findGrubMkimage();
    const directory = efiModulesDirectory(arch.platform);
    const extra = ISO_LOADER_MODULES.filter((m) => existsSync(join(directory, `${m}.mod`)));
    const output = join(efidir, arch.loader);
    const modules = buildEfiLoader({ mkimage: mkimage.path, platform: arch.platform, directory, prefix: '/EFI/BOOT', output, modules: extra, mtime: epoch });
    log(`EFI/BOOT/${arch.loader}: ${why}, so a grub ${arch.platform} loader made with ${mkimage.path} (${modules.length} modules built in)`);
  }

  const fontdir = join(efidir, 'fonts');
  mkdirSync(fontdir, { recursive: true });
  if (!existsSync(FONT)) throw new Error(`${FONT} is missing from the build root (grub-common on Debian, grub2-tools on Fedora)`);
  copy2(FONT, join(fontdir, 'unicode.pf2'));

  log(`kernel dir at ${options.kernel.dir}`);
  const config = join(efidir, 'grub.cfg');
  writeFileSync(config, grubIsoConfig(options, 'efi'));
  if (architectures.includes('IA32')) copy2(config, join(efidir, 'BOOT.cfg'));
});

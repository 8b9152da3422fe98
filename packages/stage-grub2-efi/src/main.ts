#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { EFI_LOADER_NAMES, buildEfiLoader, efiModulesDirectory, efiPlatformForMachine, findGrubMkimage, sourceEpoch } from '@osbuild-ts/image-kit';
import { resolveLocation, runStage } from '@osbuild-ts/plugin-kit';

interface Grub2EfiOptions {
  vendor: string;
  esp?: string;
  platform?: string;
  filename?: string;
  modules?: string[];
  binary?: string;
}

await runStage<Grub2EfiOptions>((args) => {
  const { options } = args;
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const platform = options.platform ?? efiPlatformForMachine();
  if (!platform) throw new Error(`platform: this machine (${process.arch}) has no grub EFI platform; name one`);
  const esp = options.esp ?? '/boot/efi';
  const config = resolveLocation(args, `tree://${esp}/EFI/${options.vendor}/grub.cfg`);
  if (!existsSync(config)) {
    throw new Error(`vendor ${options.vendor}: the tree has no ${esp}/EFI/${options.vendor}/grub.cfg for the loader to read (run org.osbuild.grub2 with uefi.vendor "${options.vendor}" first)`);
  }
  // A tree of another architecture (arm64 built on amd64) brings its own
  // modules (grub-efi-arm64-bin): the build root has none for that platform.
  const inTree = resolveLocation(args, `tree:///usr/lib/grub/${platform}`);
  const directory = !existsSync(`/usr/lib/grub/${platform}`) && existsSync(inTree) ? inTree : efiModulesDirectory(platform);
  if (directory === inTree) log(`modules from the tree's /usr/lib/grub/${platform}`);
  const mkimage = findGrubMkimage(options.binary);
  if (mkimage.note) log(mkimage.note);
  const filename = options.filename ?? `EFI/BOOT/${EFI_LOADER_NAMES[platform]}`;
  const output = resolveLocation(args, `tree://${esp}/${filename.replace(/^\/+/, '')}`);
  if (existsSync(output)) log(`replacing ${esp}/${filename}`);

  // No device in the prefix: grub takes the one it was loaded from, the ESP.
  const prefix = `/EFI/${options.vendor}`;
  const modules = buildEfiLoader({ mkimage: mkimage.path, platform, directory, prefix, output, modules: options.modules ?? [], mtime: sourceEpoch(args) });
  log(`${esp}/${filename}: grub ${platform} loader reading ${prefix}/grub.cfg on the ESP, with ${modules.length} modules built in`);
});

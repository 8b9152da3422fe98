#!/usr/bin/env node
import { chmodSync, copyFileSync, existsSync, linkSync, mkdirSync, writeFileSync } from 'node:fs';
import { posix } from 'node:path';
import { safeSubstitute } from '@osbuild-ts/image-kit';
import { runStage } from '@osbuild-ts/plugin-kit';
import { ISOLINUX_FILES, SPLASH, findDataFile, resolveInTree } from './data-files.js';
import { FIPS_ENTRY_TEMPLATE, ISOLINUX_CFG_TEMPLATE } from './templates.js';

interface IsolinuxOptions {
  product: { name: string; version: string };
  kernel: { dir: string; opts?: string[] };
  fips?: boolean;
}

await runStage<IsolinuxOptions>((args) => {
  const { options } = args;
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const data = args.inputs['data'];
  if (!data) throw new Error('no input named "data" (a tree with syslinux: Fedora\'s syslinux, or Debian\'s isolinux and syslinux-common)');
  const isolinux = posix.join(args.tree, 'isolinux');
  if (existsSync(isolinux)) throw new Error('the tree has an isolinux directory already (this stage writes it)');

  // Everything is looked up before anything is written.
  const files = ISOLINUX_FILES.map(({ name, candidates }) => {
    const found = findDataFile(data.path, candidates);
    if (!found) throw new Error(`input data: no ${name} (looked for /${candidates.join(', /')}; Debian: packages isolinux and syslinux-common)`);
    return { name, found };
  });
  const kernelDir = posix.normalize('/' + options.kernel.dir);
  const kernel = resolveInTree(args.tree, posix.join(kernelDir, 'vmlinuz'));
  const initrd = resolveInTree(args.tree, posix.join(kernelDir, 'initrd.img'));

  mkdirSync(isolinux);
  const splash = findDataFile(data.path, [SPLASH]);
  if (splash) copyFileSync(splash, posix.join(isolinux, 'splash.png'));
  else log(`input data has no /${SPLASH} (anaconda): the menu has no background`);
  for (const { name, found } of files) {
    copyFileSync(found, posix.join(isolinux, name));
    chmodSync(posix.join(isolinux, name), 0o755);
  }

  const values: Record<string, string> = {
    version: options.product.version,
    product: options.product.name,
    cmdline: (options.kernel.opts ?? []).join(' '),
    fipsentry: '',
  };
  if (options.fips) values['fipsentry'] = safeSubstitute(FIPS_ENTRY_TEMPLATE, values);
  writeFileSync(posix.join(isolinux, 'isolinux.cfg'), safeSubstitute(ISOLINUX_CFG_TEMPLATE, values));

  // Hard links to the kernel and initrd (their targets where they are symlinks), as upstream's os.link.
  linkSync(kernel, posix.join(isolinux, 'vmlinuz'));
  linkSync(initrd, posix.join(isolinux, 'initrd.img'));
});

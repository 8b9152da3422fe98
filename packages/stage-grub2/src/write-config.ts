import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { arch } from 'node:process';
import { join } from 'node:path';
import { blsGrubCfg, blsRedirectCfg } from './bls-config.js';
import { copyFont, copyModules, GRUB_LIB, modulesPackage } from './copy-modules.js';
import { debianGrubCfg, debianRedirectCfg } from './debian-config.js';
import { defaultsFile } from './defaults.js';
import { detectStyle, readOsRelease } from './detect-style.js';
import { grubenv } from './grubenv.js';
import { findKernels } from './kernels.js';
import { kernelRootSpec, planFromOptions, type Grub2Options, type Grub2Plan } from './options.js';

/** What the stage wrote, for tests and the stage's output. */
export interface GrubWriteResult {
  style: 'bls' | 'debian';
  files: string[];
}

/**
 * Writes the grub configuration for the distribution in `tree`: upstream's
 * files for BLS trees, update-grub's layout for Debian-style trees.
 */
export function writeGrubConfig(tree: string, options: Grub2Options, log: (line: string) => void = () => {}): GrubWriteResult {
  const plan = planFromOptions(options);
  const verdict = detectStyle(tree);
  log(`grub2: ${verdict.style === 'bls' ? 'Boot Loader Specification configuration' : 'Debian-style grub.cfg'} (${verdict.reason})`);
  const files: string[] = [];
  const write = (path: string, data: string) => {
    mkdirSync(join(tree, path, '..'), { recursive: true });
    writeFileSync(join(tree, path), data);
    files.push(path);
  };
  if (plan.uefi?.install) installEfiData(tree, plan.uefi.efiSrcDir, plan.uefi.vendor);
  if (verdict.style === 'bls') writeBls(tree, plan, write, log);
  else writeDebian(tree, plan, write, log);
  return { style: verdict.style, files };
}

type Write = (path: string, data: string) => void;

function grubHome(plan: Grub2Plan): string {
  return plan.bootfs ? '/' : '/boot/';
}

function envVariables(plan: Grub2Plan): [string, string][] {
  const vars: [string, string][] = [];
  if (plan.writeCmdline) vars.push(['kernelopts', `root=${kernelRootSpec(plan.rootfs)} ${plan.kernelOpts}`]);
  if (plan.savedEntry) vars.push(['saved_entry', plan.savedEntry]);
  return vars;
}

function writeBls(tree: string, plan: Grub2Plan, write: Write, log: (line: string) => void): void {
  // Hybrid (BIOS + UEFI): one grubenv and the main grub.cfg in /boot/grub2,
  // a redirect on the ESP.
  const hybrid = plan.uefi !== null && plan.legacy !== null;
  if (plan.writeDefaults) write('etc/default/grub', defaultsFile(plan.kernelOpts, plan.settings, 'bls'));
  mkdirSync(join(tree, 'boot/grub2'), { recursive: true });
  // grub2-efi's package links /boot/grub2/grubenv to the ESP; hybrid boot wants the file here.
  if (hybrid) rmSync(join(tree, 'boot/grub2/grubenv'), { force: true });
  const env = grubenv(envVariables(plan));
  log(env);
  write('boot/grub2/grubenv', env);
  let mainPath = 'boot/grub2/grub.cfg';
  if (plan.uefi) {
    const espCfg = `boot/efi/EFI/${plan.uefi.vendor}/grub.cfg`;
    if (hybrid || plan.uefi.unified) {
      log('hybrid boot or unified grub config enabled. Writing alias grub config');
      write(espCfg, blsRedirectCfg(grubHome(plan)));
    } else mainPath = espCfg;
  }
  write(
    mainPath,
    blsGrubCfg({
      grubfs: plan.bootfs ?? plan.rootfs,
      grubHome: grubHome(plan),
      settings: plan.settings,
      ignition: plan.ignition,
      greenboot: plan.greenboot,
      blankUnset: plan.compatVersion >= 2,
    }),
  );
  if (plan.legacy) {
    copyModules(plan.legacy, join(tree, 'boot/grub2', plan.legacy));
    if (!copyFont(join(tree, 'boot/grub2'))) throw new Error('/usr/share/grub/unicode.pf2 is missing in the build root: install grub-common (grub2-tools on Fedora) there');
  }
}

function writeDebian(tree: string, plan: Grub2Plan, write: Write, log: (line: string) => void): void {
  const kernels = findKernels(tree);
  if (kernels.length === 0) log('grub2: warning: no kernels (/boot/vmlinuz-*) in the tree; grub.cfg has no menu entries');
  else log(`grub2: menu entries for ${kernels.map((k) => k.version).join(', ')}`);
  const osRelease = readOsRelease(tree);
  const osName = plan.settings.distributor ? `${plan.settings.distributor} GNU/Linux` : (osRelease['NAME'] ?? 'GNU/Linux');
  const osClass = (plan.settings.distributor ?? osRelease['ID'] ?? 'os').toLowerCase().replace(/[^a-z0-9_-]/g, '_');
  if (plan.writeDefaults) write('etc/default/grub', defaultsFile(plan.kernelOpts, plan.settings, 'debian'));
  write('boot/grub/grubenv', grubenv(envVariables(plan)));
  const grubfs = plan.bootfs ?? plan.rootfs;
  write(
    'boot/grub/grub.cfg',
    debianGrubCfg({
      kernels,
      rootfs: plan.rootfs,
      grubfs,
      grubHome: grubHome(plan),
      kernelOpts: plan.kernelOpts,
      settings: plan.settings,
      ignition: plan.ignition,
      greenboot: plan.greenboot,
      osName,
      osClass,
    }),
  );
  // One configuration, in /boot/grub; the ESP only points there.
  if (plan.uefi) write(`boot/efi/EFI/${plan.uefi.vendor}/grub.cfg`, debianRedirectCfg(grubfs, grubHome(plan)));
  const grubDir = join(tree, 'boot/grub');
  if (plan.legacy) {
    const n = copyModules(plan.legacy, join(grubDir, plan.legacy));
    log(`grub2: ${n} ${plan.legacy} modules in /boot/grub/${plan.legacy}`);
  }
  if (plan.uefi) {
    // grub-install puts the EFI platform's modules here too, so `insmod`
    // in grub.cfg works whatever the EFI loader has built in.
    const efi = efiPlatform();
    if (efi && existsSync(join(GRUB_LIB, efi))) {
      const n = copyModules(efi, join(grubDir, efi));
      log(`grub2: ${n} ${efi} modules in /boot/grub/${efi}`);
    } else if (efi) log(`grub2: no ${join(GRUB_LIB, efi)} in the build root (${modulesPackage(efi)}); the EFI loader must carry the modules it needs`);
  }
  if ((plan.legacy || plan.uefi) && !copyFont(grubDir)) log('grub2: no /usr/share/grub/unicode.pf2 in the build root; grub has no unicode font');
}

/** The EFI grub platform of the machine the image is built for. */
export function efiPlatform(machine: string = arch): string | null {
  return ({ x64: 'x86_64-efi', arm64: 'arm64-efi', ia32: 'i386-efi', riscv64: 'riscv64-efi', loong64: 'loongarch64-efi' } as Record<string, string>)[machine] ?? null;
}

/** uefi.install: the EFI binaries (BOOT and the vendor's directory) from the build root's /boot/efi/EFI. */
function installEfiData(tree: string, efiSrcDir: string, vendor: string): void {
  for (const dir of ['BOOT', vendor]) {
    const source = join(efiSrcDir, dir);
    if (!existsSync(source)) throw new Error(`uefi.install: ${source} is missing in the build root (efi_src_dir ${efiSrcDir})`);
    cpSync(source, join(tree, 'boot/efi/EFI', dir), { recursive: true, dereference: true, preserveTimestamps: true });
  }
}

import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';

/** The build root's grub module directory for a platform (`/usr` is the build root's in the sandbox). */
export const GRUB_LIB = '/usr/lib/grub';
export const UNICODE_FONT = '/usr/share/grub/unicode.pf2';

/** Which distribution package has a platform's modules, for error messages. */
export function modulesPackage(platform: string): string {
  const debian: Record<string, string> = { 'i386-pc': 'grub-pc-bin', 'x86_64-efi': 'grub-efi-amd64-bin', 'arm64-efi': 'grub-efi-arm64-bin', 'i386-efi': 'grub-efi-ia32-bin', 'powerpc-ieee1275': 'grub-ieee1275-bin' };
  const fedora: Record<string, string> = { 'i386-pc': 'grub2-pc-modules', 'x86_64-efi': 'grub2-efi-x64-modules', 'arm64-efi': 'grub2-efi-aa64-modules', 'powerpc-ieee1275': 'grub2-ppc64le-modules' };
  const names = [debian[platform], fedora[platform]].filter(Boolean);
  return names.length > 0 ? names.join(' or ') : `grub's ${platform} modules`;
}

/**
 * Copies a platform's modules and lists (`*.mod`, `*.lst`, except the empty
 * `fdt.lst`, as upstream) from the build root into `target`, keeping their
 * times so the tree does not depend on when it was built.
 */
export function copyModules(platform: string, target: string, source = join(GRUB_LIB, platform)): number {
  if (!existsSync(source)) throw new Error(`${source} is missing in the build root: install ${modulesPackage(platform)} there`);
  mkdirSync(target, { recursive: true });
  let count = 0;
  for (const name of readdirSync(source).sort()) {
    if (!/\.(mod|lst)$/.test(name) || name === 'fdt.lst') continue;
    copyPreserving(join(source, name), join(target, name));
    count++;
  }
  return count;
}

/** Copies grub's unicode font to `<grubDir>/fonts/`; false when the build root has none. */
export function copyFont(grubDir: string, source = UNICODE_FONT): boolean {
  if (!existsSync(source)) return false;
  mkdirSync(join(grubDir, 'fonts'), { recursive: true });
  copyPreserving(source, join(grubDir, 'fonts', 'unicode.pf2'));
  return true;
}

export function copyPreserving(from: string, to: string): void {
  copyFileSync(from, to);
  const info = statSync(from);
  utimesSync(to, info.atime, info.mtime);
}

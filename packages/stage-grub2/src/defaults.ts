import type { GrubSettings } from './options.js';

/**
 * /etc/default/grub, upstream's lines in upstream's order. GRUB_CMDLINE_LINUX
 * holds the kernel options without `root=`, which grub-mkconfig adds itself.
 * `bls` adds GRUB_ENABLE_BLSCFG=true (Fedora-style trees); a Debian-style
 * tree gets an empty GRUB_CMDLINE_LINUX_DEFAULT instead, so that update-grub
 * reproduces the command line this stage wrote (Debian's own file adds
 * "quiet" there).
 */
export function defaultsFile(kernelOpts: string, settings: GrubSettings, style: 'bls' | 'debian'): string {
  let data = `GRUB_CMDLINE_LINUX="${kernelOpts}"\nGRUB_TIMEOUT=${settings.timeout ?? 0}\n`;
  data += style === 'bls' ? 'GRUB_ENABLE_BLSCFG=true\n' : 'GRUB_CMDLINE_LINUX_DEFAULT=""\n';
  if (settings.disable_recovery !== undefined) data += `GRUB_DISABLE_RECOVERY=${settings.disable_recovery}\n`;
  if (settings.disable_submenu !== undefined) data += `GRUB_DISABLE_SUBMENU=${settings.disable_submenu}\n`;
  if (settings.distributor) data += `GRUB_DISTRIBUTOR="${settings.distributor}"\n`;
  if (settings.serial) data += `GRUB_SERIAL_COMMAND="${settings.serial}"\n`;
  if (settings.terminal?.length) data += `GRUB_TERMINAL="${settings.terminal.join(' ')}"\n`;
  if (settings.terminal_input?.length) data += `GRUB_TERMINAL_INPUT="${settings.terminal_input.join(' ')}"\n`;
  if (settings.terminal_output?.length) data += `GRUB_TERMINAL_OUTPUT="${settings.terminal_output.join(' ')}"\n`;
  if (settings.timeout_style) data += `GRUB_TIMEOUT_STYLE=${settings.timeout_style}\n`;
  if (settings.default !== undefined) data += `GRUB_DEFAULT=${settings.default}\n`;
  return data;
}

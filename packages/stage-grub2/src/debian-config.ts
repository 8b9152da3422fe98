import { featureSections, terminalSections } from './bls-config.js';
import type { Kernel } from './kernels.js';
import { grubSearchArgs, kernelRootSpec, type FsSpec, type GrubSettings } from './options.js';

export interface DebianCfgInput {
  kernels: readonly Kernel[];
  rootfs: FsSpec;
  grubfs: FsSpec;
  /** /boot as seen from the grub file system: `/` when separate, else `/boot/`. */
  grubHome: string;
  kernelOpts: string;
  settings: GrubSettings;
  ignition: boolean;
  greenboot: boolean;
  /** Menu title prefix, e.g. "Debian GNU/Linux". */
  osName: string;
  /** Menu class, e.g. "debian". */
  osClass: string;
}

/**
 * A complete /boot/grub/grub.cfg in the shape update-grub writes (00_header,
 * 10_linux), with menu entries for the kernels in the tree: newest first,
 * each followed by its recovery entry unless recovery is disabled. Entries
 * are not put in a submenu, so `default` numbers count every entry.
 */
export function debianGrubCfg(input: DebianCfgInput): string {
  const s = input.settings;
  // GRUB_TERMINAL means both directions, as in update-grub's 00_header.
  const t = terminalSections({ ...s, terminal_input: s.terminal_input ?? s.terminal, terminal_output: s.terminal_output ?? s.terminal }, true);
  const search = `search --no-floppy --set=root ${grubSearchArgs(input.grubfs)}`;
  const fallback = s.default === undefined || s.default === 'saved' ? '0' : s.default;
  const lines: string[] = [
    '#',
    '# Written by osbuild-ts (org.osbuild.grub2) for the kernels in the image;',
    '# update-grub writes a new one from /etc/default/grub.',
    '#',
    '',
    'if [ -s $prefix/grubenv ]; then',
    '  load_env',
    'fi',
    'if [ "${next_entry}" ] ; then',
    '   set default="${next_entry}"',
    '   set next_entry=',
    '   save_env next_entry',
    '   set boot_once=true',
    'elif [ "${saved_entry}" ] ; then',
    '   set default="${saved_entry}"',
    'else',
    `   set default="${fallback}"`,
    'fi',
    '',
    'if [ x"${feature_menuentry_id}" = xy ]; then',
    '  menuentry_id_option="--id"',
    'else',
    '  menuentry_id_option=""',
    'fi',
    'export menuentry_id_option',
    '',
    'function load_video {',
    '  insmod all_video',
    '}',
    '',
    'insmod part_gpt',
    'insmod part_msdos',
    search,
  ];
  const features = featureSections(input);
  if (features) lines.push(features.replace(/\n$/, ''));
  const terminal = `${t.serial}${t.terminalInput}${t.terminalOutput}`;
  if (terminal) lines.push(terminal.replace(/^\n/, ''));
  lines.push(`set timeout=${s.timeout ?? 0}`);
  if (s.timeout_style) lines.push(`set timeout_style=${s.timeout_style}`);
  const rootId = input.rootfs.uuid ?? input.rootfs.label;
  const extra = input.ignition ? ' ${ignition_firstboot}' : '';
  const options = (mode: string) => [`root=${kernelRootSpec(input.rootfs)}`, 'ro', mode, input.kernelOpts].filter(Boolean).join(' ');
  for (const kernel of input.kernels) {
    const entry = (title: string, id: string, cmdline: string) => {
      lines.push(
        '',
        `menuentry '${quote(title)}' --class ${input.osClass} --class gnu-linux --class gnu --class os $menuentry_id_option '${quote(id)}' {`,
        '\tload_video',
        '\tinsmod gzio',
        `\t${search}`,
        `\techo\t'Loading Linux ${quote(kernel.version)} ...'`,
        `\tlinux\t${input.grubHome}${kernel.image} ${cmdline}${extra}`,
      );
      if (kernel.initrd) lines.push(`\techo\t'Loading initial ramdisk ...'`, `\tinitrd\t${input.grubHome}${kernel.initrd}`);
      lines.push('}');
    };
    entry(`${input.osName}, with Linux ${kernel.version}`, `gnulinux-${kernel.version}-advanced-${rootId}`, options(''));
    if (s.disable_recovery !== true) {
      entry(`${input.osName}, with Linux ${kernel.version} (recovery mode)`, `gnulinux-${kernel.version}-recovery-${rootId}`, options('single'));
    }
  }
  return lines.join('\n') + '\n';
}

/**
 * The ESP's grub.cfg: finds the file system holding /boot/grub and loads the
 * main configuration from there, as Debian's grub-install writes it for
 * signed (shim) boot.
 */
export function debianRedirectCfg(grubfs: FsSpec, grubHome: string): string {
  return [
    `search --no-floppy --set=root ${grubSearchArgs(grubfs)}`,
    `set prefix=($root)'${grubHome}grub'`,
    'configfile $prefix/grub.cfg',
    '',
  ].join('\n');
}

/** Inside single quotes grub takes everything literally except `'` itself. */
function quote(text: string): string {
  return text.replaceAll("'", "'\\''");
}

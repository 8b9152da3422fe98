import { grubSearchArgs, type FsSpec, type GrubSettings } from './options.js';

// The texts below are upstream's templates (osbuild's org.osbuild.grub2),
// kept byte for byte: Fedora-style trees get the same files as with osbuild.

const IGNITION = `
# Ignition support
set ignition_firstboot=""
if [ -f "\${root}ignition.firstboot" ]; then
    # Default networking parameters to be used with ignition.
    set ignition_network_kcmdline=''

    # Source in the \`ignition.firstboot\` file which could override the
    # above $ignition_network_kcmdline with static networking config.
    # This override feature is primarily used by coreos-installer to
    # persist static networking config provided during install to the
    # first boot of the machine.
    source "\${root}ignition.firstboot"

    set ignition_firstboot="ignition.firstboot \${ignition_network_kcmdline}"
fi
`;

const GREENBOOT = `
# greenboot support, aka boot counter and boot success reporting
insmod increment
# Check if boot_counter exists and boot_success=0 to activate this behaviour.
if [ -n "\${boot_counter}" -a "\${boot_success}" = "0" ]; then
  # if countdown has ended, choose to boot rollback deployment,
  # i.e. default=1 on OSTree-based systems.
  if  [ "\${boot_counter}" = "0" -o "\${boot_counter}" = "-1" ]; then
    set default=1
    set boot_counter=-1
  # otherwise decrement boot_counter
  else
    decrement boot_counter
  fi
  save_env boot_counter
fi

# Reset boot_success for current boot
set boot_success=0
save_env boot_success
`;

export interface GrubCfgInput {
  /** The file system holding grub's files (/boot if separate, else /). */
  grubfs: FsSpec;
  /** Where /boot is seen from that file system: `/` when separate, else `/boot/`. */
  grubHome: string;
  settings: GrubSettings;
  ignition: boolean;
  greenboot: boolean;
  /** compat_version ≥ 2 blanks unset template variables; 1 leaves them verbatim, as upstream did. */
  blankUnset: boolean;
}

/** The optional sections (ignition, greenboot) both config styles share. */
export function featureSections(input: Pick<GrubCfgInput, 'ignition' | 'greenboot' | 'grubHome'>): string {
  const parts: string[] = [];
  if (input.ignition) parts.push(IGNITION.replaceAll('${root}', input.grubHome));
  if (input.greenboot) parts.push(GREENBOOT);
  return parts.join('\n');
}

/** The serial/terminal lines, each after a newline, as upstream renders them. */
export function terminalSections(settings: GrubSettings, blankUnset: boolean): { serial: string; terminalInput: string; terminalOutput: string } {
  const unset = (name: string) => (blankUnset ? '' : `\${${name}}`);
  return {
    serial: settings.serial ? `\n${settings.serial}` : unset('serial'),
    terminalInput: settings.terminal_input?.length ? `\nterminal_input ${settings.terminal_input.join(' ')}` : unset('terminal_input'),
    terminalOutput: settings.terminal_output?.length ? `\nterminal_output ${settings.terminal_output.join(' ')}` : unset('terminal_output'),
  };
}

/** The main grub.cfg of a BLS system: grub's `blscfg` reads /boot/loader/entries. */
export function blsGrubCfg(input: GrubCfgInput): string {
  const t = terminalSections(input.settings, input.blankUnset);
  return `
set timeout=${input.settings.timeout ?? 0}

# load the grubenv file
load_env

# selection of the next boot entry via variables 'next_entry' and
# \`saved_entry\` present in the 'grubenv' file. Both variables are
# set by grub tools, like grub2-reboot, grub2-set-default

if [ "\${next_entry}" ] ; then
   set default="\${next_entry}"
   set next_entry=
   save_env next_entry
   set boot_once=true
else
   set default="\${saved_entry}"
fi

search --no-floppy --set=root ${grubSearchArgs(input.grubfs)}
set boot=\${root}
function load_video {
  insmod all_video
}
${featureSections(input)}${t.serial}${t.terminalInput}${t.terminalOutput}
blscfg
`;
}

/**
 * The ESP's grub.cfg for hybrid or unified setups: finds the file system
 * with the main config by looking for the file, then loads it.
 */
export function blsRedirectCfg(grubHome: string): string {
  return `
search --no-floppy --set prefix --file ${grubHome}grub2/grub.cfg
set prefix=($prefix)${grubHome}grub2
configfile $prefix/grub.cfg
`;
}

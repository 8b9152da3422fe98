/**
 * The grub.cfg of a bootable ISO, as upstream's org.osbuild.grub2.iso (EFI)
 * and org.osbuild.grub2.iso.legacy (BIOS) write it: the same templates,
 * filled the same way (Python's `string.Template.safe_substitute`), so an
 * ISO built here boots with the same menu.
 */

/** The options both stages share (upstream's schemas). */
export interface GrubIsoOptions {
  product: { name: string; version: string };
  isolabel: string;
  kernel: { dir: string; opts?: string[] };
  fips?: boolean;
  troubleshooting?: boolean;
  test?: boolean;
  install?: boolean;
  custom?: { name: string; linux: string; initrd: string }[];
  config?: { timeout?: number; default?: number };
}

const EFI_HEADER = `$defaultentry
function load_video {
  insmod efi_gop
  insmod efi_uga
  insmod video_bochs
  insmod video_cirrus
  insmod all_video
}

load_video
set gfxpayload=keep
insmod gzio
insmod part_gpt
insmod ext2

set timeout=\${timeout}
`;

const BIOS_HEADER = `$defaultentry
function load_video {
  insmod all_video
}

load_video
set gfxpayload=keep
insmod gzio
insmod part_gpt
insmod ext2
insmod chain

set timeout=\${timeout}
`;

const BODY = `### END /etc/grub.d/00_header ###

search --no-floppy --set=root -l '\${isolabel}'

$customentries
$installentry
$testentry
$fipsentry
$troubleshootingentry
`;

const CUSTOM_ENTRY = `
menuentry '\${name}' --class fedora --class gnu-linux --class gnu --class os {
\tlinux \${linux}
\tinitrd \${initrd}
}`;

const INSTALL_ENTRY = `
menuentry 'Install \${product} \${version}' --class fedora --class gnu-linux --class gnu --class os {
\tlinux \${kernelpath} \${root} quiet
\tinitrd \${initrdpath}
}`;

const TEST_ENTRY = `
menuentry 'Test this media & install \${product} \${version}' --class fedora --class gnu-linux --class gnu --class os {
\tlinux \${kernelpath} \${root} rd.live.check quiet
\tinitrd \${initrdpath}
}`;

const FIPS_ENTRY = `
menuentry 'Install \${product} \${version} in FIPS mode' --class fedora --class gnu-linux --class gnu --class os {
\tlinux \${kernelpath} \${root} quiet fips=1
\tinitrd \${initrdpath}
}
`;

const TROUBLESHOOTING_START = `
submenu 'Troubleshooting -->' {
\tmenuentry 'Install \${product} \${version} in basic graphics mode' --class fedora --class gnu-linux --class gnu --class os {
\t\tlinux \${kernelpath} \${root} nomodeset quiet
\t\tinitrd \${initrdpath}
\t}
\tmenuentry 'Rescue a \${product} system' --class fedora --class gnu-linux --class gnu --class os {
\t\tlinux \${kernelpath} \${root} inst.rescue quiet
\t\tinitrd \${initrdpath}
\t}`;

const TROUBLESHOOTING_BIOS_EXTRA = `
\tmenuentry 'Boot first drive' --class fedora --class gnu-linux --class gnu --class os {
\t\tchainloader (hd0)+1
\t}`;

/**
 * Python's `string.Template(text).safe_substitute(values)`: `$name` and
 * `${name}` are replaced where `values` has them and left alone where not;
 * `$$` is `$`.
 */
export function safeSubstitute(text: string, values: Readonly<Record<string, string | number>>): string {
  return text.replace(/\$(?:(\$)|([_a-z][_a-z0-9]*)|\{([_a-z][_a-z0-9]*)\})/gi, (whole, dollar: string | undefined, bare: string | undefined, braced: string | undefined) => {
    if (dollar) return '$';
    const name = (bare ?? braced) as string;
    return Object.hasOwn(values, name) ? String(values[name]) : whole;
  });
}

/** `posixpath.join(dir, name)` as upstream uses it for the kernel's paths. */
function joinPath(dir: string, name: string): string {
  if (dir === '') return name;
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/** grub.cfg for an ISO: `efi` is org.osbuild.grub2.iso's, `bios` org.osbuild.grub2.iso.legacy's. */
export function grubIsoConfig(options: GrubIsoOptions, flavour: 'efi' | 'bios'): string {
  const kdir = options.kernel.dir ?? '/images/pxeboot';
  const values: Record<string, string | number> = {
    version: options.product.version,
    product: options.product.name,
    kernelpath: joinPath(kdir, 'vmlinuz'),
    initrdpath: joinPath(kdir, 'initrd.img'),
    isolabel: options.isolabel,
    root: (options.kernel.opts ?? []).join(' '),
    timeout: options.config?.timeout ?? 60,
    defaultentry: '',
    fipsentry: '',
    installentry: '',
    testentry: '',
    troubleshootingentry: '',
    customentries: '',
  };
  if (options.config?.default !== undefined) values['defaultentry'] = `set default="${options.config.default}"\n`;
  for (const entry of options.custom ?? []) {
    const filled = safeSubstitute(CUSTOM_ENTRY, entry as unknown as Record<string, string>);
    values['customentries'] = String(values['customentries']) + safeSubstitute(filled, values);
  }
  if (options.test ?? true) values['testentry'] = safeSubstitute(TEST_ENTRY, values);
  if (options.install ?? true) values['installentry'] = safeSubstitute(INSTALL_ENTRY, values);
  if (options.fips) values['fipsentry'] = safeSubstitute(FIPS_ENTRY, values);
  if (options.troubleshooting ?? true) {
    const submenu = TROUBLESHOOTING_START + (flavour === 'bios' ? TROUBLESHOOTING_BIOS_EXTRA : '') + '\n}';
    values['troubleshootingentry'] = safeSubstitute(submenu, values);
  }
  return safeSubstitute((flavour === 'efi' ? EFI_HEADER : BIOS_HEADER) + BODY, values);
}

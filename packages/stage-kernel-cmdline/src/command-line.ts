/**
 * The kernel's COMMAND_LINE_SIZE per `uname -m` (lower-cased), as upstream's
 * stage has it; any other machine gets 4096.
 */
export const MAX_SIZE: Readonly<Record<string, number>> = {
  x86_64: 2048,
  i386: 2048,
  arm: 1024,
  aarch64: 2048,
  powerpc: 2048,
  ppc64: 2048,
  riscv: 1024,
  mips: 4096,
};

/**
 * The text of /etc/kernel/cmdline: `root=UUID=…` then the extra options,
 * joined by one space, empty parts left out. Longer than the limit (the
 * option, else the machine's) is an error, counted in characters as
 * upstream counts them.
 */
export function commandLine(
  options: { root_fs_uuid?: string; kernel_opts?: string; kernel_cmdline_size?: number },
  machine: string,
): string {
  const limit = options.kernel_cmdline_size ?? MAX_SIZE[machine.toLowerCase()] ?? 4096;
  const parts: string[] = [];
  if (options.root_fs_uuid) parts.push(`root=UUID=${options.root_fs_uuid}`);
  if (options.kernel_opts) parts.push(options.kernel_opts);
  const text = parts.join(' ');
  const length = [...text].length;
  if (length > limit) {
    throw new Error(`org.osbuild.kernel-cmdline: the kernel command line is ${length} characters long, more than the limit of ${limit} (kernel_cmdline_size, or the kernel's COMMAND_LINE_SIZE for ${machine})`);
  }
  return text;
}

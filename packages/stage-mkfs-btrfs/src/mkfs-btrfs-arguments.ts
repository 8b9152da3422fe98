export interface BtrfsOptions {
  uuid: string;
  label?: string;
  metadata?: 'single' | 'dup';
}

/** mkfs.btrfs's command line, as upstream's: `-U UUID [-L LABEL] [-m PROFILE] DEVICE`. */
export function mkfsBtrfsArguments(options: BtrfsOptions, device: string): string[] {
  const args = ['-U', options.uuid];
  if (options.label) args.push('-L', options.label);
  if (options.metadata) args.push('-m', options.metadata);
  return [...args, device];
}

export interface FatOptions {
  volid: string;
  label?: string;
  'fat-size'?: 12 | 16 | 32;
  geometry?: { heads: number; 'sectors-per-track': number };
}

/**
 * mkfs.fat's command line, as upstream's: `-I -i VOLID [-n LABEL] [-F SIZE]
 * [-g HEADS/SECTORS] DEVICE`. `-I` because the device is a partition seen
 * whole, which mkfs.fat's partition-table check would otherwise question.
 */
export function mkfsFatArguments(options: FatOptions, device: string): string[] {
  const args = ['-I', '-i', options.volid];
  if (options.label) args.push('-n', options.label);
  if (options['fat-size']) args.push('-F', String(options['fat-size']));
  if (options.geometry) args.push('-g', `${options.geometry.heads}/${options.geometry['sectors-per-track']}`);
  return [...args, device];
}

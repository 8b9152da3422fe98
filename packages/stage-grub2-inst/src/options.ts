/** The stage's options, as upstream's schema admits them. */
export interface Grub2InstOptions {
  filename: string;
  platform: string;
  location?: number;
  core: CoreOptions;
  prefix: PrefixOptions;
  'sector-size'?: number;
}

export interface CoreOptions {
  type: 'mkimage';
  partlabel: 'gpt' | 'dos';
  filesystem: string;
  binary?: string;
}

export type PrefixOptions = PartitionPrefix | PathPrefix;

export interface PartitionPrefix {
  type: 'partition';
  partlabel: 'gpt' | 'dos';
  /** Counting from 0. */
  number: number;
  path: string;
}

export interface PathPrefix {
  path: string;
}

/** Checks what the schema cannot: sizes and sectors that are whole numbers. */
export function checkOptions(options: Grub2InstOptions): void {
  const sectorSize = options['sector-size'] ?? 512;
  if (!Number.isSafeInteger(sectorSize) || sectorSize < 512 || sectorSize % 512 !== 0) {
    throw new Error(`sector-size ${sectorSize}: must be a multiple of 512 bytes`);
  }
  if (options.location !== undefined && options.location < 0) throw new Error(`location ${options.location}: must be a sector, 0 or more`);
  const prefix = options.prefix;
  if ('number' in prefix && (!Number.isSafeInteger(prefix.number) || prefix.number < 0)) {
    throw new Error(`prefix.number ${prefix.number}: must be a partition number counting from 0`);
  }
}

/** The stage's options, as the schema admits them. */
export interface SfdiskPartition {
  start?: number;
  size?: number;
  type?: string;
  bootable?: boolean;
  name?: string;
  uuid?: string;
  attrs?: number[];
  partnum?: number;
}

export type TableLabel = 'mbr' | 'dos' | 'gpt';

export interface SfdiskOptions {
  uuid: string;
  label: TableLabel;
  partitions?: SfdiskPartition[];
}

/** sfdisk reads `mbr` as `dos`; the checks only need to know which. */
export function tableKind(label: TableLabel): 'dos' | 'gpt' {
  return label === 'gpt' ? 'gpt' : 'dos';
}

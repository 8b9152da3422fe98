/** The stage's options, as the schema admits them. */
export interface PartedPartition {
  start?: number;
  size?: number;
  name?: string;
  type?: string;
  bootable?: boolean;
}

export interface PartedOptions {
  label: 'gpt';
  partitions?: PartedPartition[];
}

/** A partition whose place the checks confirmed. */
export interface PlacedPartition extends PartedPartition {
  start: number;
  size: number;
}

/** The stage's options, as upstream's schema admits them. */
export interface CpioOptions {
  filename: string;
  append?: boolean;
  format?: 'bin' | 'odc' | 'newc' | 'crc' | 'tar' | 'ustar';
  'root-node'?: 'include' | 'omit';
  reproducible?: boolean;
  owner?: { user: string; group?: string };
}

/** The stage's options, as upstream's schema admits them. */
export interface ErofsOptions {
  filename: string;
  source?: string;
  exclude_paths?: string[];
  compression?: { method: 'lz4' | 'lz4hc' | 'lzma' | 'zstd'; level?: number };
  'cluster-size'?: number;
  options?: string[];
}

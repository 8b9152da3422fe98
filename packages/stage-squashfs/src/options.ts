/** org.osbuild.squashfs's options, as upstream's schema has them. */
export interface SquashfsOptions {
  filename: string;
  source?: string;
  exclude_paths?: string[];
  compression?: {
    method: 'gzip' | 'lz4' | 'xz' | 'zstd';
    options?: { bcj?: string };
  };
}

/** The assembler's options, as the schema admits them (upstream's v1 schema). */
export interface TarAssemblerOptions {
  filename: string;
  compression?: Compression;
  acls?: boolean;
  selinux?: boolean;
  xattrs?: boolean;
}

export type Compression = 'bzip2' | 'xz' | 'lzip' | 'lzma' | 'lzop' | 'gzip';

/** The program tar runs for each compression, and the Debian package that has it. */
export const COMPRESSORS: Record<Compression, { command: string; package: string }> = {
  bzip2: { command: 'bzip2', package: 'bzip2' },
  xz: { command: 'xz', package: 'xz-utils' },
  lzip: { command: 'lzip', package: 'lzip' },
  lzma: { command: 'lzma', package: 'xz-utils' },
  lzop: { command: 'lzop', package: 'lzop' },
  gzip: { command: 'gzip', package: 'gzip' },
};

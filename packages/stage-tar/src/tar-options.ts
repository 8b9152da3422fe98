/** The stage's options, as the schema admits them. */
export interface TarOptions {
  filename: string;
  format?: 'gnu' | 'oldgnu' | 'posix' | 'ustar' | 'v7';
  compression?: 'auto' | 'xz' | 'gzip' | 'zstd';
  acls?: boolean;
  selinux?: boolean;
  xattrs?: boolean;
  'root-node'?: 'include' | 'omit';
  paths?: string[];
  sparse?: boolean;
  transform?: string;
  'numeric-owner'?: boolean;
}

/** One filesystem: a mount point and one way to name the filesystem. */
export interface Filesystem {
  path: string;
  uuid?: string;
  label?: string;
  partlabel?: string;
  device?: string;
  vfs_type?: string;
  options?: string;
  freq?: number;
  passno?: number;
}

/** Which ostree deployment's /etc/fstab to write. */
export interface Deployment {
  osname?: string;
  ref?: string;
  serial?: number;
  default?: boolean;
}

/** The stage's options, as the schema admits them. */
export interface FstabOptions {
  filesystems: Filesystem[];
  ostree?: { deployment: Deployment };
}

/**
 * One file system to write into an image file without mounting anything:
 * the byte range it gets, its identity, and the directory whose content it
 * receives. Shared by the qemu assembler (one per partition), the rawfs
 * assembler (the whole file) and the image stages.
 */
export interface FilesystemBuild {
  /** The image file; it exists and is at least `offset + size` bytes (sparse, zero). */
  image: string;
  /** Where the file system starts in `image`, in bytes. */
  offset: number;
  size: number;
  uuid: string;
  label?: string;
  /** The directory whose content goes in (read-only), or null for an empty file system. */
  source: string | null;
  /**
   * Directories below `source` (relative, `boot/efi`) that stay empty (made
   * where missing): mount points of other file systems.
   */
  nested: readonly string[];
  /** The source epoch: file system times that would come from the clock or the host's copy of the tree. */
  epoch: number | null;
  /** A scratch directory for this build. */
  work: string;
  /** A name for scratch files, unique within `work` (`xfs-2`). */
  name: string;
  log: (line: string) => void;
}

/**
 * Metadata the pin tool puts on each `org.osbuild.files` reference and the
 * Debian stages read back (osbuild forwards it as `data.files[checksum]`).
 * Keys follow osbuild's `prefix.name` rule for input metadata.
 */
export const METADATA = {
  package: 'deb.package',
  version: 'deb.version',
  /** The archive's priority; a .deb's own control file may say otherwise, and variants select by it. */
  priority: 'deb.priority',
} as const;

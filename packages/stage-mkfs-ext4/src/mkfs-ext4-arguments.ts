export interface Ext4Options {
  uuid: string;
  label?: string;
  lazy_init?: boolean;
  metadata_csum_seed?: boolean;
  orphan_file?: boolean;
  verity?: boolean;
}

const FEATURES = ['verity', 'orphan_file', 'metadata_csum_seed'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * mkfs.ext4's command line, in upstream's order: `-U UUID [-L LABEL]
 * [-E EXTENDED] [-O [^]FEATURE]… DEVICE`. The extended options go in one
 * `-E`, because mke2fs keeps only the last one (upstream's two `-E` lose
 * lazy_itable_init). For a reproducible build the directory hash seed,
 * otherwise random, is the file system's UUID.
 */
export function mkfsExt4Arguments(options: Ext4Options, device: string, reproducible: boolean): string[] {
  const args = ['-U', options.uuid];
  if (options.label) args.push('-L', options.label);
  const extended: string[] = [];
  if (options.lazy_init !== undefined) {
    const value = options.lazy_init ? 1 : 0;
    extended.push(`lazy_itable_init=${value}`, `lazy_journal_init=${value}`);
  }
  // -U also takes "random", "time" and "clear", which are no seed.
  if (reproducible && UUID.test(options.uuid)) extended.push(`hash_seed=${options.uuid}`);
  if (extended.length > 0) args.push('-E', extended.join(','));
  for (const feature of FEATURES) {
    const value = options[feature];
    if (value !== undefined) args.push('-O', value ? feature : `^${feature}`);
  }
  return [...args, device];
}

import type { ErofsOptions } from './erofs-options.js';

/**
 * Upstream's command line, `mkfs.erofs TARGET SOURCE --quiet [-z M[,L]]
 * [-E O,…] [-C N] [--exclude-regex R]…`, plus `-U UUID` so that the file
 * system's UUID is not random.
 */
export function erofsArguments(options: ErofsOptions, target: string, source: string, uuid: string): string[] {
  const args = [target, source, '--quiet', `-U${uuid}`];
  if (options.compression) {
    const { method, level } = options.compression;
    // Upstream skips a level of 0 too.
    args.push('-z', level ? `${method},${level}` : method);
  }
  if (options.options && options.options.length > 0) args.push('-E', options.options.join(','));
  if (options['cluster-size']) args.push('-C', String(options['cluster-size']));
  for (const regex of options.exclude_paths ?? []) args.push('--exclude-regex', regex);
  return args;
}

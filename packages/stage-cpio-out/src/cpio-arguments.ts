import type { CpioOptions } from './cpio-options.js';

/**
 * Upstream's command line: `cpio -v -o --format=F --null [--reproducible]
 * [--append] [--owner=U[:G]] -O ARCHIVE -D TREE`, names on stdin.
 */
export function cpioArguments(options: CpioOptions, archive: string, tree: string): string[] {
  const args = ['-v', '-o', `--format=${options.format ?? 'newc'}`, '--null'];
  if (options.reproducible ?? true) args.push('--reproducible');
  if (options.append ?? false) args.push('--append');
  if (options.owner) args.push(`--owner=${options.owner.user}${options.owner.group ? `:${options.owner.group}` : ''}`);
  return [...args, '-O', archive, '-D', tree];
}

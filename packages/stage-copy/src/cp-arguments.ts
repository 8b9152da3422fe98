/**
 * The `cp` command line for one item, in upstream's order. `-a` keeps
 * ownership, modes, timestamps, links and xattrs; `--reflink=auto` shares
 * extents where the filesystem can, and copies where it cannot.
 */
export function cpArguments(source: string, destination: string, removeDestination = false): string[] {
  const args = ['-a', '--reflink=auto'];
  if (removeDestination) args.push('--remove-destination');
  return [...args, source, destination];
}

/**
 * GNU tar options that make an archive's bytes depend only on the tree:
 * members in name order (not the order the file system lists them), pax
 * extended headers named without tar's process id and without atime or
 * ctime (which say when the host last read or copied a file), and with a
 * source epoch, no mtime later than it (as osbuild clamps trees).
 * Owners, modes, contents, links, xattrs and earlier mtimes are the tree's.
 */
export function reproducibleTarArguments(epoch: number | null): string[] {
  const args = ['--sort=name', '--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime'];
  if (epoch !== null) args.push(`--mtime=@${epoch}`, '--clamp-mtime');
  return args;
}

/**
 * GNU tar options that make an archive's bytes depend only on the tree:
 * members in name order (not the order the file system lists them), pax
 * extended headers named without tar's process id and without atime or
 * ctime (which say when the host last read or copied a file), and with a
 * source epoch, no mtime later than it (as osbuild clamps trees).
 * Owners, modes, contents, links, xattrs and earlier mtimes are the tree's.
 *
 * `pax`: whether the archive has pax headers, i.e. its format is `posix`
 * or ACLs, SELinux labels or xattrs are stored (GNU tar then writes pax
 * headers whatever the format); tar refuses `--pax-option` otherwise, and
 * the other formats have no atime or ctime to drop.
 */
export function reproducibleTarArguments(epoch, pax = true) {
    const args = ['--sort=name'];
    if (pax)
        args.push('--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime');
    if (epoch !== null)
        args.push(`--mtime=@${epoch}`, '--clamp-mtime');
    return args;
}
//# sourceMappingURL=reproducible-tar.js.map
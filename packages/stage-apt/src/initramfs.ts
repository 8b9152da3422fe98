/**
 * One initramfs per new kernel, made once the install is complete.
 *
 * Installed natively, a Debian kernel gets its initramfs twice: the kernel's
 * postinst runs /etc/kernel/postinst.d/initramfs-tools (`update-initramfs
 * -c`), and initramfs-tools' trigger, activated by every later package that
 * ships initramfs hooks (udev, kmod…), runs `update-initramfs -u` over it.
 * The second one, made from the finished tree, is the initramfs the image
 * gets. Under qemu-user each one costs minutes: with `MODULES=most`
 * mkinitramfs copies a few thousand modules, with around seven emulated
 * processes (realpath, readlink, mkdir, cp, modinfo…) for each, and every
 * emulated process start translates the dynamic loader and libc anew.
 *
 * So the install runs with `INITRD=No`, which the kernel hooks of
 * initramfs-tools and dracut honour ("kernel does not need an initramfs"),
 * and `update-initramfs -u` then finds no initramfs to update. Afterwards
 * the skipped hooks (those in /etc/kernel/postinst.d that read INITRD) run
 * once for each kernel this install added, as the kernel's postinst would
 * have run them, from the finished tree: the same initramfs as the native
 * install's last one. Nothing in the tree is changed for this.
 *
 * For a foreign tree whose hook is initramfs-tools', that one run goes
 * through an overlay view of the tree in which the shell and the file
 * helpers mkinitramfs calls by name (dash, coreutils, find, cpio, gzip,
 * sed, grep, modinfo) are the build root's own, with the build root's
 * libraries in their own multiarch directory; the programs that go into the
 * initramfs (kmod, udev, klibc…) and ldd stay the tree's. Only what the hook
 * wrote (the initramfs and its checksum under /var/lib/initramfs-tools) is
 * copied back into the tree; the view is discarded. If any of the build
 * root's files ended up in the initramfs (a hook that copies the shell, say),
 * or the view fails, it is made again the slow way, with the tree's programs.
 */
import { chmodSync, chownSync, closeSync, copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, readdirSync, readlinkSync, realpathSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { captureTool, runTool } from '@osbuild-ts/plugin-kit';
import { withChrootEnvironment } from '@osbuild-ts/stage-debian-install/install';

const HOOKS = 'etc/kernel/postinst.d';
/** What dpkg gives maintainer scripts, and mkinitramfs's default scratch directory. */
const HOOK_ENV = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', TMPDIR: '/var/tmp' };
/**
 * Programs mkinitramfs and its hook functions run by name, many times, and
 * never copy into the initramfs: in the overlay view the build root's own
 * replace the tree's. kmod, udevadm, blkid, ldd, bash and the klibc tools are
 * not among them.
 */
const NATIVE = [
  'dash', 'realpath', 'readlink', 'mkdir', 'cp', 'ln', 'rm', 'mv', 'cat', 'dirname', 'basename', 'chmod', 'touch',
  'mktemp', 'ls', 'tr', 'cut', 'head', 'tail', 'wc', 'sort', 'uniq', 'env', 'sha1sum', 'stat', 'sed', 'grep',
  'find', 'xargs', 'cpio', 'gzip', 'modinfo',
];

type Versions = Map<string, string>;

function installedVersions(tree: string): Versions {
  const text = captureTool('dpkg-query', [`--admindir=${join(tree, 'var/lib/dpkg')}`, '--show', '--showformat=${db:Status-Status}\\t${Package}\\t${Version}\\n']);
  const versions: Versions = new Map();
  for (const line of text.split('\n')) {
    const [status, name, version] = line.split('\t');
    if (status === 'installed' && name && version) versions.set(name, version);
  }
  return versions;
}

/** Kernel versions (their /boot/vmlinuz-VERSION) of the packages the install added or changed. */
function addedKernels(tree: string, before: Versions): string[] {
  const info = join(tree, 'var/lib/dpkg/info');
  const lists = existsSync(info) ? readdirSync(info).filter((f) => f.endsWith('.list')) : [];
  const kernels = new Set<string>();
  for (const [name, version] of installedVersions(tree)) {
    if (before.get(name) === version) continue;
    for (const list of lists.filter((f) => f === `${name}.list` || f.startsWith(`${name}:`))) {
      for (const line of readFileSync(join(info, list), 'utf8').split('\n')) {
        const m = /^\/boot\/vmlinuz-(.+)$/.exec(line);
        if (m && existsSync(join(tree, 'boot', `vmlinuz-${m[1]}`))) kernels.add(m[1]!);
      }
    }
  }
  return [...kernels].sort();
}

/** The kernel hooks that INITRD=No switched off, in run-parts' order. */
function initramfsHooks(tree: string): string[] {
  const dir = join(tree, HOOKS);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => /^[A-Za-z0-9_-]+$/.test(name))
    .sort()
    .filter((name) => {
      const stat = statSync(join(dir, name));
      return stat.isFile() && (stat.mode & 0o111) !== 0 && readFileSync(join(dir, name), 'latin1').includes('INITRD');
    })
    .map((name) => `/${HOOKS}/${name}`);
}

function treeArchitecture(tree: string): string {
  return captureTool('dpkg-query', [`--admindir=${join(tree, 'var/lib/dpkg')}`, '--show', '--showformat=${Architecture}', 'dpkg']).trim();
}

/** Whether the tree's programs run on this machine without qemu-user. */
function runsNatively(architecture: string): boolean {
  const host = captureTool('dpkg', ['--print-architecture']).trim();
  return architecture === host || (host === 'amd64' && architecture === 'i386');
}

function runHooks(root: string, hooks: string[], version: string): void {
  withChrootEnvironment(root, () => {
    for (const hook of hooks) runTool('chroot', [root, hook, version, `/boot/vmlinuz-${version}`], { env: HOOK_ENV });
  });
}

/** `path` (absolute, inside `root`) with its symlinks resolved inside `root`; missing components stay as they are. */
function inside(root: string, path: string): string {
  let resolved = '';
  const pending = path.split('/').filter(Boolean);
  for (let hops = 0; pending.length > 0; ) {
    const part = pending.shift()!;
    if (part === '.') continue;
    if (part === '..') {
      resolved = posix.dirname(resolved === '' ? '/' : resolved) === '/' ? '' : posix.dirname(resolved);
      continue;
    }
    const candidate = `${resolved}/${part}`;
    let link: string | null = null;
    try {
      if (lstatSync(join(root, candidate)).isSymbolicLink()) link = readlinkSync(join(root, candidate));
    } catch {
      // Missing: kept as written.
    }
    if (link === null) {
      resolved = candidate;
      continue;
    }
    if (++hops > 40) throw new Error(`too many symbolic links resolving ${path} in ${root}`);
    pending.unshift(...link.split('/').filter(Boolean));
    if (link.startsWith('/')) resolved = '';
  }
  return resolved === '' ? '/' : resolved;
}

/**
 * Where the view keeps the build root's dynamic loader. Not the loader's own
 * path: mkinitramfs makes a usr-merge link for every /lib* of the tree, so a
 * /lib64 in the view would show up in the initramfs.
 */
const LOADER = '/run/osbuild-ts-ld.so';

/** The shared libraries a build-root program needs, and its loader (ldd). */
function librariesOf(program: string): { libraries: string[]; loader: string | null } {
  const libraries = new Set<string>();
  let loader: string | null = null;
  for (const line of captureTool('ldd', [program]).split('\n')) {
    const lib = /=>\s*(\/\S+)\s+\(0x/.exec(line);
    if (lib) libraries.add(lib[1]!);
    else if (/^\s*\/\S+\s+\(0x/.test(line)) loader = line.trim().split(/\s+/)[0]!;
  }
  return { libraries: [...libraries], loader };
}

/** The program with its interpreter path (`loader`) replaced by LOADER, padded with NULs; null if it is not there exactly once. */
function relinked(program: string, loader: string): Buffer | null {
  const bytes = readFileSync(program);
  const from = Buffer.from(`${loader}\0`);
  const at = bytes.indexOf(from);
  if (at < 0 || bytes.indexOf(from, at + 1) >= 0 || LOADER.length > loader.length) return null;
  Buffer.alloc(from.length).copy(bytes, at);
  Buffer.from(LOADER).copy(bytes, at);
  return bytes;
}

/** The ELF machine (e_machine) of a file, or null for anything else. */
function elfMachine(file: string): number | null {
  const head = Buffer.alloc(20);
  const fd = openSync(file, 'r');
  try {
    if (readSync(fd, head, 0, 20, 0) < 20) return null;
  } finally {
    closeSync(fd);
  }
  if (head.readUInt32BE(0) !== 0x7f454c46) return null;
  return head[5] === 2 ? head.readUInt16BE(18) : head.readUInt16LE(18);
}

/**
 * Puts the build root's NATIVE programs (and their libraries) into the view
 * where the tree has them. Returns the tree paths written, without the
 * leading slash, and the directories made for the libraries.
 */
function injectNative(view: string): { programs: string[]; scratch: Set<string> } {
  const programs: string[] = [];
  const scratch = new Set<string>();
  const libraries = new Set<string>();
  let hostLoader: string | null = null;
  for (const name of NATIVE) {
    const host = ['/usr/bin', '/usr/sbin', '/bin', '/sbin'].map((d) => join(d, name)).find((p) => existsSync(p));
    if (!host) continue;
    const needs = librariesOf(host);
    if (needs.loader === null || (hostLoader !== null && needs.loader !== hostLoader)) continue;
    const bytes = relinked(realpathSync(host), needs.loader);
    if (bytes === null) continue;
    let target: string | undefined;
    for (const dir of ['/usr/bin', '/usr/sbin', '/bin', '/sbin']) {
      const path = posix.join(inside(view, dir), name);
      try {
        lstatSync(join(view, path));
        target = path;
        break;
      } catch {
        // Not in this directory of the tree.
      }
    }
    if (!target) continue;
    rmSync(join(view, target), { force: true });
    writeFileSync(join(view, target), bytes, { mode: 0o755 });
    programs.push(target.slice(1));
    hostLoader = needs.loader;
    for (const lib of needs.libraries) libraries.add(lib);
  }
  if (hostLoader === null) return { programs, scratch };
  const loader = inside(view, LOADER);
  if (!existsSync(join(view, posix.dirname(loader)))) {
    mkdirSync(join(view, posix.dirname(loader)), { recursive: true });
    scratch.add(posix.dirname(loader).slice(1).split('/')[0]!);
  }
  copyFileSync(realpathSync(hostLoader), join(view, loader));
  chmodSync(join(view, loader), 0o755);
  scratch.add(loader.slice(1));
  for (const lib of libraries) {
    const dir = inside(view, posix.dirname(lib));
    // Directories the tree lacks (x86_64-linux-gnu in an arm64 tree, /lib64) are made in the view.
    let made = '';
    for (const part of dir.split('/').filter(Boolean)) {
      made = `${made}/${part}`;
      if (!existsSync(join(view, made))) {
        mkdirSync(join(view, made));
        scratch.add(made.slice(1));
      }
    }
    const target = posix.join(dir, posix.basename(lib));
    if (existsSync(join(view, target)) && !scratch.has(dir.slice(1))) {
      // The tree has a file of that name (an amd64 library in a multiarch tree): the view's copy stands in for it.
      rmSync(join(view, target), { force: true });
    }
    copyFileSync(realpathSync(lib), join(view, target));
    scratch.add(target.slice(1));
  }
  for (const program of programs) scratch.add(program);
  return { programs, scratch };
}

/** Copies what the hooks changed (the overlay's upper directory, less `scratch`) from the view into the tree. */
function copyBack(upper: string, view: string, tree: string, scratch: Set<string>, rel = ''): string[] {
  const changed: string[] = [];
  for (const name of readdirSync(join(upper, rel))) {
    const path = rel === '' ? name : `${rel}/${name}`;
    if (scratch.has(path)) continue;
    const stat = lstatSync(join(upper, path));
    const target = join(tree, path);
    if (stat.isCharacterDevice() && stat.rdev === 0) {
      // A whiteout: the hook removed it.
      rmSync(target, { recursive: true, force: true });
      changed.push(`-${path}`);
    } else if (stat.isDirectory()) {
      if (!existsSync(target)) {
        mkdirSync(target);
        chmodSync(target, stat.mode & 0o7777);
        chownSync(target, stat.uid, stat.gid);
        changed.push(`${path}/`);
      }
      changed.push(...copyBack(upper, view, tree, scratch, path));
    } else if (stat.isSymbolicLink()) {
      rmSync(target, { force: true });
      symlinkSync(readlinkSync(join(upper, path)), target);
      changed.push(path);
    } else {
      // From the view, not the upper directory: a copied-up file may hold only metadata there.
      rmSync(target, { force: true });
      copyFileSync(join(view, path), target);
      chmodSync(target, stat.mode & 0o7777);
      chownSync(target, stat.uid, stat.gid);
      utimesSync(target, stat.atime, stat.mtime);
      changed.push(path);
    }
  }
  return changed;
}

/** Files in the view's new initramfs that are programs of the build root's architecture (as node's own), unpacked with unmkinitramfs. */
function foreignFiles(view: string, version: string): string[] {
  const host = elfMachine(process.execPath);
  const dir = '/var/tmp/osbuild-ts-initramfs-check';
  const leaked: string[] = [];
  try {
    runTool('chroot', [view, 'unmkinitramfs', `/boot/initrd.img-${version}`, dir], { env: HOOK_ENV });
    const walk = (rel: string): void => {
      for (const name of readdirSync(join(view, dir, rel))) {
        const path = rel === '' ? name : `${rel}/${name}`;
        const stat = lstatSync(join(view, dir, path));
        if (stat.isDirectory()) walk(path);
        else if (stat.isFile() && elfMachine(join(view, dir, path)) === host) leaked.push(path);
      }
    };
    walk('');
  } finally {
    rmSync(join(view, dir), { recursive: true, force: true });
  }
  return leaked;
}

/** Runs the initramfs-tools hook for `version` in an overlay view with native helpers; false if the result had to be discarded. */
function runHooksAccelerated(tree: string, hooks: string[], version: string): boolean {
  const work = mkdtempSync(join(tmpdir(), 'initramfs-view-'));
  const [upper, scratchDir, view] = ['upper', 'work', 'view'].map((d) => join(work, d)) as [string, string, string];
  for (const dir of [upper, scratchDir, view]) mkdirSync(dir);
  let mounted = false;
  try {
    let programs: string[];
    let scratch: Set<string>;
    let leaked: string[];
    try {
      runTool('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${tree},upperdir=${upper},workdir=${scratchDir}`, view]);
      mounted = true;
      ({ programs, scratch } = injectNative(view));
      runHooks(view, hooks, version);
      leaked = foreignFiles(view, version);
    } catch (error) {
      process.stdout.write(`org.osbuild.apt: the initramfs for ${version} with the build root's helpers failed (${(error as Error).message}): making it with the tree's programs only\n`);
      return false;
    }
    if (leaked.length > 0) {
      process.stdout.write(`org.osbuild.apt: the initramfs for ${version} took build-root programs (${leaked.slice(0, 5).join(', ')}): making it again with the tree's programs only\n`);
      return false;
    }
    const changed = copyBack(upper, view, tree, scratch);
    process.stdout.write(`org.osbuild.apt: build-root ${programs.map((p) => posix.basename(p)).join(' ')} ran mkinitramfs's helpers; into the tree: ${changed.join(', ')}\n`);
    return true;
  } finally {
    if (mounted) runTool('umount', [view]);
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Runs the tree's initramfs hooks that honour INITRD (initramfs-tools',
 * dracut's) for `version`, as the kernel's postinst does; for a foreign
 * tree through the overlay view with native helpers when the hook is
 * initramfs-tools'. Returns false when the tree has no such hook.
 */
export function makeInitramfs(tree: string, version: string): boolean {
  const hooks = initramfsHooks(tree);
  if (hooks.length === 0) return false;
  const native = runsNatively(treeArchitecture(tree));
  const accelerate = !native && hooks.length === 1 && hooks[0] === `/${HOOKS}/initramfs-tools` && existsSync(join(tree, 'usr/bin/unmkinitramfs'));
  const started = Date.now();
  process.stdout.write(`org.osbuild.apt: the initramfs for ${version}, once, from the finished tree (${hooks.join(', ')})\n`);
  if (!accelerate || !runHooksAccelerated(tree, hooks, version)) runHooks(tree, hooks, version);
  process.stdout.write(`org.osbuild.apt: initramfs for ${version} made in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return true;
}

/**
 * The install stage's `around`: runs `install` with INITRD=No, then the
 * skipped initramfs hooks once per added kernel.
 */
export function deferInitramfs(tree: string, install: (env?: Record<string, string>) => void): void {
  const before = installedVersions(tree);
  install({ INITRD: 'No' });
  for (const version of addedKernels(tree, before)) makeInitramfs(tree, version);
}

import { spawnSync } from 'node:child_process';
import { closeSync, ftruncateSync, lstatSync, openSync, readdirSync, readlinkSync, rmSync, writeFileSync, type BigIntStats } from 'node:fs';
import { join } from 'node:path';
import { captureTool, runTool } from '@osbuild-ts/plugin-kit';
import { byBytes } from '../walk-tree.js';
import type { FilesystemBuild } from './build.js';
import { copyInto } from './copy-into.js';

/**
 * Builds an XFS file system from a protofile (`mkfs.xfs -p`), nothing
 * mounted, in a file of the partition's size that is then copied into the
 * image. A protofile carries names, types, modes (without the sticky bit),
 * owners and content; xfs_db then sets what it cannot: every inode's mtime
 * from the tree, the sticky bit, and with a source epoch atime, ctime,
 * crtime and generation. Not carried: extended attributes (SELinux labels
 * included) and hard links (each link becomes its own copy); names and
 * link targets with white space cannot be written in a protofile and are
 * an error.
 */
export function buildXfs(fs: FilesystemBuild): void {
  const fixes: Fix[] = [];
  const proto = protofile(fs.source, new Set(fs.nested), fixes);
  const protoPath = join(fs.work, `${fs.name}.proto`);
  writeFileSync(protoPath, proto);
  // Straight into the image when the file system is all of it (rawfs).
  const whole = fs.offset === 0;
  const fsImage = whole ? fs.image : join(fs.work, `${fs.name}.img`);
  if (!whole) {
    const fd = openSync(fsImage, 'w');
    ftruncateSync(fd, fs.size);
    closeSync(fd);
  }
  try {
    const args = ['-q', '-f', '-m', `uuid=${fs.uuid}`, '-p', protoPath];
    if (fs.label) args.push('-L', fs.label);
    runTool('mkfs.xfs', [...args, fsImage]);
    applyFixes(fsImage, fixes, fs);
    if (!whole) copyInto(fsImage, fs.image, fs.offset);
  } finally {
    if (!whole) rmSync(fsImage, { force: true });
    rmSync(protoPath, { force: true });
  }
}

interface Fix {
  path: string;
  stat: BigIntStats;
}

/** The protofile text for `source` (null: an empty root), and the inodes to fix afterwards. */
export function protofile(source: string | null, prune: ReadonlySet<string>, fixes: Fix[]): string {
  const lines = ['/dev/null', '0 0'];
  const root = source ? lstatSync(source, { bigint: true }) : null;
  lines.push(root ? `${modeField(root)} ${root.uid} ${root.gid}` : 'd--755 0 0');
  if (root && source) {
    fixes.push({ path: '/', stat: root });
    const walk = (dir: string) => {
      for (const name of readdirSync(join(source, dir)).sort(byBytes)) {
        const path = dir === '' ? name : `${dir}/${name}`;
        const host = join(source, path);
        const stat = lstatSync(host, { bigint: true });
        if (/\s/.test(name)) throw new Error(`xfs: ${path}: a protofile cannot hold names with white space`);
        if (stat.isSocket()) continue; // as cp -a onto a fresh file system would make nothing useful of it
        const head = `${name} ${modeField(stat)} ${stat.uid} ${stat.gid}`;
        if (stat.isFile()) lines.push(`${head} ${host}`);
        else if (stat.isSymbolicLink()) {
          const target = readlinkSync(host);
          if (/\s/.test(target) || target === '') throw new Error(`xfs: ${path}: a protofile cannot hold the link target ${JSON.stringify(target)}`);
          lines.push(`${head} ${target}`);
        } else if (stat.isBlockDevice() || stat.isCharacterDevice()) lines.push(`${head} ${major(stat.rdev)} ${minor(stat.rdev)}`);
        else if (stat.isDirectory()) {
          lines.push(head);
          if (!prune.has(path)) walk(path);
          lines.push('$');
        } else lines.push(head);
        fixes.push({ path: '/' + path, stat });
      }
    };
    walk('');
  }
  lines.push('$');
  return lines.join('\n') + '\n';
}

function modeField(stat: BigIntStats): string {
  const mode = Number(stat.mode);
  const type = stat.isFile() ? '-' : stat.isDirectory() ? 'd' : stat.isSymbolicLink() ? 'l' : stat.isBlockDevice() ? 'b' : stat.isCharacterDevice() ? 'c' : 'p';
  return `${type}${mode & 0o4000 ? 'u' : '-'}${mode & 0o2000 ? 'g' : '-'}${(mode & 0o777).toString(8).padStart(3, '0')}`;
}

function major(dev: bigint): number {
  return Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn));
}

function minor(dev: bigint): number {
  return Number((dev & 0xffn) | ((dev >> 12n) & ~0xffn));
}

/** XFS big timestamps: nanoseconds since 1901-12-13T20:45:52Z (2^31 s before the epoch), in one 64-bit field. */
function bigtime(ns: bigint): string {
  return ((1n << 31n) * 1_000_000_000n + ns).toString();
}

function applyFixes(fsImage: string, fixes: readonly Fix[], ctx: Pick<FilesystemBuild, 'epoch' | 'log'>): void {
  if (fixes.length === 0 && ctx.epoch === null) return;
  if (!/BIGTIME/.test(captureTool('xfs_db', ['-r', '-c', 'version', fsImage]))) {
    ctx.log('xfs: the file system has no big timestamps (mkfs.xfs older than 5.15?): file times are the build\'s');
    return;
  }
  const epoch = ctx.epoch !== null ? bigtime(BigInt(ctx.epoch) * 1_000_000_000n) : null;
  const commands: string[] = [];
  for (const fix of fixes) {
    const mode = Number(fix.stat.mode);
    commands.push(`path ${fix.path}`, `write core.mtime.sec ${bigtime(fix.stat.mtimeNs)}`);
    if (mode & 0o1000) commands.push(`write core.mode 0${(mode & 0o177777).toString(8)}`);
    if (epoch) commands.push(`write core.atime.sec ${epoch}`, `write core.ctime.sec ${epoch}`, `write v3.crtime.sec ${epoch}`, 'write core.gen 0');
  }
  if (epoch) {
    // mkfs.xfs's own inodes (realtime bitmap and summary, unused without a
    // realtime device) get the clock's times and a random generation too.
    const sb = captureTool('xfs_db', ['-r', '-c', 'sb 0', '-c', 'p rbmino rsumino', fsImage]);
    for (const ino of [...sb.matchAll(/^\w+ = (\d+)$/gm)].map((m) => m[1])) {
      commands.push(`inode ${ino}`, `write core.atime.sec ${epoch}`, `write core.mtime.sec ${epoch}`, `write core.ctime.sec ${epoch}`, `write v3.crtime.sec ${epoch}`, 'write core.gen 0');
    }
  }
  const result = spawnSync('xfs_db', ['-x', fsImage], { input: commands.join('\n') + '\n', encoding: 'utf8', maxBuffer: 1 << 30 });
  const errors = `${result.stdout}\n${result.stderr}`.split('\n').filter((l) => /not found|error|invalid|cannot/i.test(l));
  if (result.status !== 0 || errors.length > 0) throw new Error(`xfs_db on ${fsImage} failed:\n${errors.slice(0, 20).join('\n')}`);
}

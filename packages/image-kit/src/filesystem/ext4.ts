import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { runTool } from '@osbuild-ts/plugin-kit';
import { walkTree } from '../walk-tree.js';
import type { FilesystemBuild } from './build.js';
import { usedInodes } from './ext4-inodes.js';

/**
 * Builds an ext4 file system straight into the partition's byte range:
 * `mkfs.ext4 -E offset=… -d <content>`, nothing mounted. The directory hash
 * seed is the file system's UUID rather than random. Nested mount points
 * are emptied afterwards with debugfs (mke2fs has no exclude), and with a
 * source epoch every inode's atime and ctime, which mke2fs copies from the
 * tree as it is on this host, become the epoch; with E2FSPROGS_FAKE_TIME for
 * the times mke2fs takes from the clock, the result is the same bytes for
 * the same tree.
 */
export function buildExt4(fs: FilesystemBuild): void {
  const { source } = fs;
  const hasSource = source !== null;
  const env = fs.epoch !== null ? { E2FSPROGS_FAKE_TIME: String(fs.epoch) } : undefined;
  const extended = [`offset=${fs.offset}`, `hash_seed=${fs.uuid}`, 'nodiscard', ...zeroingOptions()];
  const args = ['-q', '-F', '-E', extended.join(','), '-U', fs.uuid];
  if (fs.label) args.push('-L', fs.label);
  if (hasSource) args.push('-d', source);
  args.push(fs.image, `${Math.floor(fs.size / 1024)}k`);
  runTool('mkfs.ext4', args, env ? { env } : {});

  const device = `${fs.image}?offset=${fs.offset}`;
  const edits: string[] = [];
  if (hasSource) {
    // mke2fs -d fills the root directory but keeps its own 0755 root:root:
    // give it the source's mode, owner and mtime, as `cp -a src/. mnt` does.
    const root = lstatSync(source);
    edits.push(`sif <2> mode 0${(root.mode & 0o177777).toString(8)}`, `sif <2> uid ${root.uid}`, `sif <2> gid ${root.gid}`, `sif <2> mtime @${Math.floor(root.mtimeMs / 1000)}`);
  }
  if (fs.epoch !== null) {
    // Before anything is removed, so that freed inodes keep no host times either.
    const time = `@${fs.epoch}`;
    const info = dumpe2fs(device, env);
    // 128-byte inodes (tiny file systems) have no creation time.
    const fields = Number(/^Inode size:\s+(\d+)/m.exec(info)?.[1] ?? 256) > 128 ? ['atime', 'ctime', 'crtime'] : ['atime', 'ctime'];
    for (const n of usedInodes(info)) for (const field of fields) edits.push(`sif <${n}> ${field} ${time}`);
  }
  for (const nested of fs.nested) {
    const dir = hasSource ? join(source, nested) : null;
    if (dir && existsSync(dir)) edits.push(...emptyDirCommands(dir, nested));
    else edits.push(...mkdirCommands(nested, source));
  }
  if (edits.length > 0) debugfs(device, edits, env);
}

function dumpe2fs(device: string, env?: Record<string, string>): string {
  const result = spawnSync('dumpe2fs', [device], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 28 });
  if (result.error) throw new Error(`dumpe2fs: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`dumpe2fs ${device} failed (exit status ${result.status}):\n${result.stderr}`);
  return result.stdout;
}

/**
 * debugfs commands that remove everything below `dir` (host path) from the
 * file system, where it is `at`: files first, then directories deepest first.
 */
function emptyDirCommands(dir: string, at: string): string[] {
  const files: string[] = [];
  const dirs: string[] = [];
  for (const entry of walkTree(dir)) {
    const path = `/${at}/${entry.path}`;
    if (entry.stat.isDirectory()) dirs.push(path);
    else files.push(path);
  }
  return [...files.map((p) => `rm ${quote(p)}`), ...dirs.reverse().map((p) => `rmdir ${quote(p)}`)];
}

/** Makes a missing mount point (and missing parents), as mounting it would have. */
function mkdirCommands(nested: string, source: string | null): string[] {
  const parts = nested.split('/');
  const commands: string[] = [];
  for (let i = 1; i <= parts.length; i++) {
    const path = parts.slice(0, i).join('/');
    if (source && existsSync(join(source, path))) continue;
    commands.push(`mkdir ${quote('/' + path)}`);
  }
  return commands;
}

function quote(path: string): string {
  if (/["\n]/.test(path)) throw new Error(`debugfs cannot name ${JSON.stringify(path)}`);
  return `"${path}"`;
}

/** Runs debugfs commands on the file system; debugfs exits 0 on failed commands, so its error output decides. */
function debugfs(device: string, commands: readonly string[], env?: Record<string, string>): void {
  const result = spawnSync('debugfs', ['-w', '-f', '-', device], {
    input: commands.join('\n') + '\n',
    encoding: 'utf8',
    env: { ...process.env, ...env },
    // It echoes every command on stdout.
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  if (result.error) throw new Error(`debugfs: ${result.error.message}`);
  const errors = result.stderr.split('\n').filter((line) => line.trim() !== '' && !/^debugfs \d/.test(line));
  if (result.status !== 0 || errors.length > 0) {
    throw new Error(`debugfs on ${device} failed (exit status ${result.status}):\n${errors.slice(0, 20).join('\n')}`);
  }
}

let zeroing: string[] | undefined;

/**
 * The image is a fresh sparse file, already zero: e2fsprogs 1.47 can be
 * told so (no zeroing, groups marked zeroed); older ones skip zeroing
 * lazily and leave it to the kernel.
 */
function zeroingOptions(): string[] {
  if (zeroing) return zeroing;
  const version = /mke2fs (\d+)\.(\d+)/.exec(spawnSync('mke2fs', ['-V'], { encoding: 'utf8' }).stderr ?? '');
  const [major, minor] = version ? [Number(version[1]), Number(version[2])] : [0, 0];
  zeroing = major > 1 || (major === 1 && minor >= 47) ? ['assume_storage_prezeroed=1'] : ['lazy_itable_init=1', 'lazy_journal_init=1'];
  return zeroing;
}

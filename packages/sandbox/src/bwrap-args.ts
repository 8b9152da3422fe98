import { OsbuildError } from './errors.js';
import type { Bind, Symlink } from './types.js';

/** Everything bwrap needs, as plain data; `bwrapArgs` turns it into argv. */
export interface BwrapLayout {
  capabilities: readonly string[];
  /** Host directory bound read-only at /usr. */
  usr: string;
  /** Build root's /boot, bound read-only (only with a build root). */
  boot: string | null;
  /** Optional read-only binds from the root (`--ro-bind-try`): mke2fs.conf, containers, ostree, selinux. */
  rootTryBinds: readonly { source: string; dest: string }[];
  /** Empty host directory (on a file system that allows device nodes) that becomes /dev. */
  dev: string;
  /** Host device nodes bound at the same path inside /dev (/dev/null…). */
  devNodes: readonly string[];
  /** Host directory bound at /var (per stage, discarded after it). */
  var: string;
  /** File that replaces /proc/cmdline. */
  cmdline: string;
  /** Node binary and libraries, the runner script, the plugin and its dependencies. */
  binds: readonly Bind[];
  symlinks: readonly Symlink[];
  /** The stage's own mounts under /run/osbuild (tree, meta, inputs, output, api…), in order. */
  stageBinds: readonly Bind[];
  /** Size limit in bytes of the sandbox's own tmpfs mounts (/tmp, /run, /dev/shm); null: the kernel's default (half of RAM), as osbuild. */
  tmpfsSize?: number | null;
  /** Descriptor bwrap reports the sandbox's init pid on (`--info-fd`). */
  infoFd: number | null;
  command: readonly string[];
}

const BIND_FLAG: Record<Bind['kind'], string> = { ro: '--ro-bind', rw: '--bind', dev: '--dev-bind' };

/**
 * bwrap's argv, in spec 8.4's order. Mount, pid, ipc, uts and network
 * namespaces are new; there is no user namespace: stages run as root with the
 * reduced capability set. bwrap makes every mount in the new namespace a
 * slave, so nothing a stage mounts propagates back to the host, and every
 * mount listed here exists only inside the sandbox.
 */
export function bwrapArgs(layout: BwrapLayout): string[] {
  const args = ['--chdir', '/', '--die-with-parent', '--new-session', '--unshare-ipc', '--unshare-pid', '--unshare-net', '--unshare-uts'];
  args.push('--cap-drop', 'ALL');
  for (const cap of layout.capabilities) args.push('--cap-add', cap);

  if (layout.boot !== null) args.push('--ro-bind', layout.boot, '/boot');
  args.push('--ro-bind', layout.usr, '/usr');
  args.push('--symlink', 'usr/lib', '/lib', '--symlink', 'usr/lib64', '/lib64', '--symlink', 'usr/bin', '/bin', '--symlink', 'usr/sbin', '/sbin');

  // /dev: a fresh directory per stage on a tmpfs without nodev (stages may
  // mknod loop devices there) holding the host's basic nodes, as osbuild's.
  args.push('--dev-bind', layout.dev, '/dev');
  for (const node of layout.devNodes) args.push('--dev-bind', node, node);
  const size = layout.tmpfsSize ? ['--size', String(layout.tmpfsSize)] : [];
  args.push(...size, '--tmpfs', '/dev/shm');
  args.push('--symlink', '/proc/self/fd', '/dev/fd', '--symlink', '/proc/self/fd/0', '/dev/stdin');
  args.push('--symlink', '/proc/self/fd/1', '/dev/stdout', '--symlink', '/proc/self/fd/2', '/dev/stderr');

  args.push('--dir', '/etc', ...size, '--tmpfs', '/run', ...size, '--tmpfs', '/tmp', '--bind', layout.var, '/var');
  args.push('--proc', '/proc', '--ro-bind', '/sys', '/sys', '--ro-bind-try', '/sys/fs/selinux', '/sys/fs/selinux');
  for (const bind of layout.rootTryBinds) args.push('--ro-bind-try', bind.source, bind.dest);
  args.push('--ro-bind', layout.cmdline, '/proc/cmdline');

  // After the tmpfs mounts above, so a plugin that lives under /tmp or /run
  // is bound on top of them rather than hidden by them.
  for (const bind of layout.binds) args.push(BIND_FLAG[bind.kind], bind.source, bind.dest);
  for (const link of layout.symlinks) args.push('--symlink', link.target, link.link);
  for (const bind of layout.stageBinds) args.push(BIND_FLAG[bind.kind], bind.source, bind.dest);

  if (layout.infoFd !== null) args.push('--info-fd', String(layout.infoFd));
  args.push('--', ...layout.command);
  return args;
}

/**
 * The stage environment, exactly spec 8.4's (the PYTHON* pair kept so
 * Python tools a stage runs behave as under osbuild), plus the caller's
 * additions (SOURCE_DATE_EPOCH). Nothing leaks in from the host but TERM.
 */
export function stageEnvironment(extra: Readonly<Record<string, string>> = {}, host: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return {
    container: 'bwrap-osbuild',
    LC_CTYPE: 'C.UTF-8',
    PATH: '/usr/sbin:/usr/bin',
    PYTHONPATH: '/run/osbuild/lib',
    PYTHONUNBUFFERED: '1',
    TERM: host.TERM || 'dumb',
    ...extra,
  };
}

/**
 * `OSBUILD_TS_SANDBOX_TMPFS_SIZE` (bytes, or with a K, M or G suffix): caps
 * each sandbox tmpfs, so a stage that fills /tmp gets ENOSPC instead of
 * taking half of the host's memory. Unset: no cap beyond the kernel's.
 */
export function sandboxTmpfsSize(env: NodeJS.ProcessEnv = process.env): number | null {
  const value = env['OSBUILD_TS_SANDBOX_TMPFS_SIZE'];
  if (value === undefined || value === '') return null;
  const match = /^(\d+)([KMG]?)$/i.exec(value.trim());
  const bytes = match ? Number(match[1]) * 1024 ** ' KMG'.indexOf((match[2] || ' ').toUpperCase()) : NaN;
  if (!Number.isSafeInteger(bytes) || bytes <= 0) {
    throw new OsbuildError('E_SANDBOX', `OSBUILD_TS_SANDBOX_TMPFS_SIZE=${JSON.stringify(value)}: expected a size in bytes, optionally with K, M or G (e.g. 512M)`, { details: { value } });
  }
  return bytes;
}

import { constants } from 'node:fs';
import { access, lstat, readlink, stat } from 'node:fs/promises';
import path from 'node:path';
import { OsbuildError } from './errors.js';

/** A tool a plugin declares it runs (or alternatives, one of which suffices), and the distribution package that ships it. */
export interface ToolRequirement {
  command: string | readonly string[];
  package: string;
}

function alternatives(tool: ToolRequirement): readonly string[] {
  return typeof tool.command === 'string' ? [tool.command] : tool.command;
}

/** Host tools the sandbox itself runs, with the Debian package that provides each. */
const SANDBOX_TOOLS: readonly ToolRequirement[] = [
  { command: 'bwrap', package: 'bubblewrap' },
  { command: 'mount', package: 'mount' },
  { command: 'umount', package: 'mount' },
];

/** Inside the sandbox PATH is exactly this (spec 8.4); /bin and /sbin are links into /usr. */
const SANDBOX_PATH = ['/usr/sbin', '/usr/bin'];

export interface SandboxTools {
  bwrap: string;
}

const checked = new Map<string, Promise<SandboxTools>>();

/**
 * Fail before any build starts if the host cannot run sandboxes: bubblewrap
 * and the mount tools must be installed and we must be root (stages keep
 * CAP_SYS_ADMIN and the engine bind-mounts trees). Memoised per PATH.
 */
export function checkSandboxTools(options: { path?: string } = {}): Promise<SandboxTools> {
  const searchPath = options.path ?? process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin';
  let result = checked.get(searchPath);
  if (!result) {
    result = probeSandboxTools(searchPath);
    checked.set(searchPath, result);
    // A failed probe is not cached: the user may install the tool and retry in-process.
    result.catch(() => checked.delete(searchPath));
  }
  return result;
}

async function probeSandboxTools(searchPath: string): Promise<SandboxTools> {
  const dirs = searchPath.split(':').filter((dir) => dir !== '');
  const found = new Map<string, string>();
  const missing: ToolRequirement[] = [];
  for (const tool of SANDBOX_TOOLS) {
    const command = alternatives(tool)[0]!;
    const hit = await findExecutable(null, command, dirs);
    if (hit) found.set(command, hit);
    else missing.push(tool);
  }
  if (missing.length > 0) throw missingToolsError(missing, null);
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new OsbuildError('E_SANDBOX', 'running stages needs root: the sandbox bind-mounts trees and keeps CAP_SYS_ADMIN for stages', {
      hint: 'Run osbuild as root (for example with sudo).',
    });
  }
  return { bwrap: found.get('bwrap') as string };
}

/**
 * Check that every tool a plugin declares exists where its stage will look for
 * it: in the build root's /usr when there is one, else in the host's. All
 * missing tools are reported at once, each with the package to install.
 */
export async function checkTools(tools: readonly ToolRequirement[], root: string | null): Promise<void> {
  const missing: ToolRequirement[] = [];
  for (const tool of tools) {
    let found = false;
    for (const command of alternatives(tool)) if (!found && (await findExecutable(root, command, SANDBOX_PATH))) found = true;
    if (!found) missing.push(tool);
  }
  if (missing.length > 0) throw missingToolsError(missing, root);
}

function missingToolsError(missing: readonly ToolRequirement[], root: string | null): OsbuildError {
  const names = missing.map((tool) => `${alternatives(tool).join(' or ')} (package ${tool.package})`).join(', ');
  const packages = [...new Set(missing.map((tool) => tool.package))].join(' ');
  const where = root === null ? 'on the host' : `in the build root ${root}`;
  const hint =
    root === null
      ? `Install it on the host, e.g. apt-get install ${packages}.`
      : `Add ${packages} to the packages of the build pipeline that makes this build root.`;
  return new OsbuildError('E_TOOL_MISSING', `missing ${missing.length === 1 ? 'tool' : 'tools'} ${where}: ${names}`, {
    hint,
    details: { missing: missing.map((tool) => ({ ...tool })), root },
  });
}

/**
 * Find `command` in `dirs` (or at its own path when it contains a slash) as
 * an executable regular file. With a root, the lookup happens inside the root:
 * absolute symlinks (Debian's /etc/alternatives) are resolved against it, not
 * against the host.
 */
async function findExecutable(root: string | null, command: string, dirs: readonly string[]): Promise<string | null> {
  const candidates = command.includes('/') ? [path.posix.resolve('/', command)] : dirs.map((dir) => path.posix.join(dir, command));
  for (const candidate of candidates) {
    const hostPath = root === null ? candidate : await resolveInRoot(root, candidate);
    if (hostPath === null) continue;
    try {
      const info = await stat(hostPath);
      if (!info.isFile()) continue;
      await access(hostPath, constants.X_OK);
      return hostPath;
    } catch {
      // not there or not executable: try the next directory
    }
  }
  return null;
}

/**
 * The host path of `inner` (absolute, as seen inside `root`), following
 * symlinks the way they resolve once `root` is the file system root. Null when
 * a component does not exist or links loop.
 */
export async function resolveInRoot(root: string, inner: string): Promise<string | null> {
  const pending = inner.split('/').filter((part) => part !== '');
  const resolved: string[] = [];
  let hops = 0;
  while (pending.length > 0) {
    const part = pending.shift() as string;
    if (part === '.') continue;
    if (part === '..') {
      resolved.pop();
      continue;
    }
    const hostPath = path.join(root, ...resolved, part);
    let info;
    try {
      info = await lstat(hostPath);
    } catch {
      return null;
    }
    if (!info.isSymbolicLink()) {
      resolved.push(part);
      continue;
    }
    if (++hops > 40) return null;
    const target = await readlink(hostPath);
    if (target.startsWith('/')) resolved.length = 0;
    pending.unshift(...target.split('/').filter((p) => p !== ''));
  }
  return path.join(root, ...resolved);
}

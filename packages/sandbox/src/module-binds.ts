import { lstat, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { OsbuildError } from './errors.js';
import type { Symlink } from './types.js';

/**
 * What a plugin's entry needs to import its dependencies inside the sandbox:
 * directories to bind read-only at their own (real) paths, and the symlinks
 * Node walks through to reach them (pnpm's `.pnpm` links, workspace links).
 */
export interface ModuleBinds {
  dirs: string[];
  symlinks: Symlink[];
}

const memo = new Map<string, Promise<ModuleBinds>>();

/**
 * Resolve the production dependency closure of `packageDir` the way Node's
 * resolver will inside the sandbox: each name is looked up as
 * `node_modules/<name>` in the importing package's real directory and its
 * ancestors. Only package directories are bound, never a whole project: the
 * store often lives inside the project and must stay invisible. Memoised per
 * directory; `clearModuleBindsCache()` drops the memo (tests, reinstalls).
 */
export function resolveModuleBinds(packageDir: string): Promise<ModuleBinds> {
  const key = path.resolve(packageDir);
  let binds = memo.get(key);
  if (!binds) {
    binds = computeModuleBinds(key);
    memo.set(key, binds);
    binds.catch(() => memo.delete(key));
  }
  return binds;
}

export function clearModuleBindsCache(): void {
  memo.clear();
}

async function computeModuleBinds(packageDir: string): Promise<ModuleBinds> {
  const start = await realpath(packageDir).catch((cause: unknown) => {
    throw new OsbuildError('E_SANDBOX', `plugin package directory ${packageDir} does not exist`, { cause });
  });
  const visited = new Set<string>();
  const links = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const dir = queue.shift() as string;
    if (visited.has(dir)) continue;
    visited.add(dir);
    const manifest = await readManifest(dir);
    const required = Object.keys(manifest.dependencies ?? {});
    // Optional and peer dependencies are imported too when present, but their
    // absence is legitimate. A peer marked optional in peerDependenciesMeta
    // is not followed: by its package's own contract it works without it,
    // and such peers are what a kit's test helpers need (plugin-kit's
    // vitest, ajv and core brought some 50 packages, each one more bind
    // that bwrap pays for at every stage's start). A package that needs it
    // at run time lists it in its own dependencies, which are followed.
    const optionalPeer = (name: string) => manifest.peerDependenciesMeta?.[name]?.optional === true;
    const optional = [...Object.keys(manifest.optionalDependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {}).filter((name) => !optionalPeer(name))];
    for (const [names, mustExist] of [
      [required, true],
      [optional, false],
    ] as const) {
      for (const name of names) {
        const found = await findPackageDir(dir, name);
        if (found === null) {
          if (!mustExist) continue;
          throw new OsbuildError('E_SANDBOX', `cannot resolve dependency "${name}" of ${manifest.name ?? dir} (${dir})`, {
            hint: 'Install the plugin with its dependencies (npm install / pnpm install) before building.',
            details: { package: dir, dependency: name },
          });
        }
        const chain = await symlinkChain(found);
        for (const link of chain.links) links.set(link.link, link.target);
        queue.push(chain.real);
      }
    }
  }
  return prune([...visited], links);
}

interface PackageManifest {
  name?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean } | undefined>;
}

async function readManifest(dir: string): Promise<PackageManifest> {
  try {
    return JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as PackageManifest;
  } catch (cause) {
    throw new OsbuildError('E_SANDBOX', `cannot read ${path.join(dir, 'package.json')}`, { cause });
  }
}

/** Node's lookup: `<dir>/node_modules/<name>` for `dir` and each ancestor; the first directory that exists wins. */
async function findPackageDir(fromDir: string, name: string): Promise<string | null> {
  let dir = fromDir;
  for (;;) {
    const candidate = path.join(dir, 'node_modules', name);
    const info = await stat(candidate).catch(() => null);
    if (info?.isDirectory()) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/**
 * The real path of `target` and every symlink met on the way, each recorded
 * at its real location (its parent already resolved), so the same walk works
 * inside the sandbox.
 */
async function symlinkChain(target: string): Promise<{ real: string; links: Symlink[] }> {
  const links: Symlink[] = [];
  let current = '/';
  for (const part of target.split('/').filter((p) => p !== '')) {
    const next = path.join(current, part);
    if ((await lstat(next)).isSymbolicLink()) {
      const real = await realpath(next);
      links.push({ link: next, target: real });
      current = real;
    } else {
      current = next;
    }
  }
  return { real: current, links };
}

function isInside(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith('/') ? parent : `${parent}/`);
}

/**
 * Drop binds already visible through an enclosing bind (npm's nested
 * node_modules) and links that lie inside a bound directory: the bind shows
 * the link itself, and bwrap refuses to create one over it.
 */
function prune(dirs: string[], links: Map<string, string>): ModuleBinds {
  const sorted = [...new Set(dirs)].sort();
  const kept: string[] = [];
  for (const dir of sorted) {
    if (!kept.some((outer) => isInside(dir, outer))) kept.push(dir);
  }
  const symlinks = [...links]
    .filter(([link]) => !kept.some((dir) => isInside(link, dir)))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([link, target]) => ({ link, target }));
  return { dirs: kept, symlinks };
}

/** Two closures as one: enclosed binds and links inside a bound directory dropped, each link once. */
export function mergeModuleBinds(a: ModuleBinds, b: ModuleBinds): ModuleBinds {
  const links = new Map<string, string>();
  for (const { link, target } of [...a.symlinks, ...b.symlinks]) links.set(link, target);
  return prune([...a.dirs, ...b.dirs], links);
}

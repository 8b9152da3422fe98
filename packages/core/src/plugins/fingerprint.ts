import { createHash } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import { compareCodePoints } from '../validate/code-point-order.js';
import { cachedPackageHash, stampOf, type Stamps } from './package-hash-cache.js';
import type { PluginFingerprint, PluginRecord } from './types.js';

const memo = new Map<string, Promise<PluginFingerprint>>();

/**
 * name, version and a hash of the package's content and of the code it
 * runs from its dependencies (see hashWithDependencies). Builds fold it into the
 * cache key of every object the plugin helped build, so editing a linked
 * plugin in place (same version) still invalidates. Reading every file is
 * not free, so it is computed only when asked (never for `--inspect`) and
 * once per package per process.
 */
export function fingerprint(
  plugin: Pick<PluginRecord, 'packageName' | 'version' | 'packageDir'>,
  options: FingerprintOptions = {},
): Promise<PluginFingerprint> {
  const key = `${plugin.packageDir}\0${plugin.packageName}\0${plugin.version}`;
  let pending = memo.get(key);
  if (pending === undefined) {
    pending = hashWithDependencies(plugin.packageDir, new Set(), options.cacheDir ?? null).then((contentHash) => ({
      name: plugin.packageName,
      version: plugin.version,
      contentHash,
    }));
    memo.set(key, pending);
    pending.catch(() => memo.delete(key));
  }
  return pending;
}

export interface FingerprintOptions {
  /**
   * Where to keep each package's content hash with the stat stamps of the
   * files it read (package-hash-cache.ts): a later process re-reads nothing
   * while every stamp holds. Null or absent: hash every file.
   */
  cacheDir?: string | null;
}

export function clearFingerprintCache(): void {
  memo.clear();
  dependencyMemo.clear();
}

const dependencyMemo = new Map<string, Promise<string>>();

/**
 * The package's own hash, folded with what its runtime `dependencies`
 * resolve to: a stage that runs another package's code (org.osbuild.apt
 * runs stage-debian-install's) must be rebuilt when that code changes, even
 * if the stage itself did not. A dependency installed from a registry
 * counts by name@version (its content is fixed by the lockfile); a linked
 * one (a workspace or `npm link` package, outside any node_modules) by its
 * content and, in turn, its own dependencies'.
 */
function hashWithDependencies(packageDir: string, visiting: Set<string>, cacheDir: string | null): Promise<string> {
  let pending = dependencyMemo.get(packageDir);
  if (pending === undefined) {
    pending = (async () => {
      const own = cacheDir === null ? await hashPackage(packageDir) : await cachedPackageHash(cacheDir, packageDir, (stamps) => hashPackage(packageDir, stamps));
      const hash = createHash('sha256').update(own);
      visiting.add(packageDir);
      for (const dependency of runtimeDependencies(packageDir)) {
        const resolved = resolveDependency(packageDir, dependency);
        if (resolved === null) {
          hash.update(`\0missing\0${dependency}`);
          continue;
        }
        hash.update(`\0dep\0${dependency}@${resolved.version}`);
        const linked = !resolved.dir.split(path.sep).includes('node_modules');
        if (linked && !visiting.has(resolved.dir)) hash.update(`\0${await hashWithDependencies(resolved.dir, visiting, cacheDir)}`);
      }
      visiting.delete(packageDir);
      return hash.digest('hex');
    })();
    dependencyMemo.set(packageDir, pending);
    pending.catch(() => dependencyMemo.delete(packageDir));
  }
  return pending;
}

// Synchronous, as the package hash cache's own reads: a warm build reads a
// few package.json files here and nothing else of the packages, and a
// thread-pool round trip (with node:fs/promises loaded for it) costs more
// than the read.
function runtimeDependencies(packageDir: string): string[] {
  try {
    const pkg = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    return Object.keys(pkg.dependencies ?? {}).sort(compareCodePoints);
  } catch {
    return [];
  }
}

/** Node's lookup: `node_modules/<name>` in the package's directory and each parent, real path. */
function resolveDependency(fromDir: string, name: string): { dir: string; version: string } | null {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    try {
      const real = realpathSync.native(candidate);
      const pkg = JSON.parse(readFileSync(path.join(real, 'package.json'), 'utf8')) as { version?: string };
      return { dir: real, version: pkg.version ?? '' };
    } catch {
      // not here: one level up
    }
    if (path.dirname(dir) === dir) return null;
  }
}

/**
 * sha256 over each file in sorted relative-path order: the path, its kind,
 * its length and its bytes, so that no two different trees hash alike.
 * node_modules (at any depth) is excluded: dependencies are pinned by the
 * lockfile and have fingerprints of their own if they matter.
 */
export async function hashPackage(packageDir: string, stamps?: Stamps): Promise<string> {
  const entries = await publishedFiles(packageDir, stamps);
  entries.sort((a, b) => compareCodePoints(a.relative, b.relative));
  const hash = createHash('sha256');
  for (const entry of entries) {
    const full = path.join(packageDir, entry.relative);
    // Stamped before it is read: a change while hashing shows as a stale stamp next time.
    if (stamps !== undefined) stamps.set(entry.relative, stampOf(full));
    const body = entry.symlink ? Buffer.from(await readlink(full)) : await readFile(full);
    hash.update(`${entry.symlink ? 'link' : 'file'}\0${entry.relative}\0${body.length}\0`);
    hash.update(body);
  }
  return hash.digest('hex');
}

/**
 * The files npm would publish when package.json lists them in `files`
 * (plain paths; a glob falls back to everything): a workspace package's
 * tests, reports and build caches are not what runs, so they must not
 * change the fingerprint.
 */
async function publishedFiles(packageDir: string, stamps?: Stamps): Promise<FileEntry[]> {
  if (stamps !== undefined) stamps.set('package.json', stampOf(path.join(packageDir, 'package.json')));
  let files: unknown;
  try {
    files = (JSON.parse(await readFile(path.join(packageDir, 'package.json'), 'utf8')) as { files?: unknown }).files;
  } catch {
    files = undefined;
  }
  const plain = Array.isArray(files) && files.every((f) => typeof f === 'string' && !/[*?[\]{}!]/.test(f));
  if (!plain) return listFiles(packageDir, '', stamps);
  const entries: FileEntry[] = [{ relative: 'package.json', symlink: false }];
  for (const f of files as string[]) {
    const relative = path.posix.normalize(f).replace(/^\.\/|\/$/g, '');
    if (relative === 'package.json' || relative.startsWith('..')) continue;
    // Present or not: a `files` entry that appears later must invalidate.
    if (stamps !== undefined && !stamps.has(relative)) stamps.set(relative, stampOf(path.join(packageDir, relative)));
    const stat = await lstat(path.join(packageDir, relative)).catch(() => null);
    if (stat?.isDirectory()) entries.push(...(await listFiles(packageDir, relative, stamps)));
    else if (stat?.isFile() || stat?.isSymbolicLink()) entries.push({ relative, symlink: stat.isSymbolicLink() });
  }
  return entries;
}

interface FileEntry {
  relative: string;
  symlink: boolean;
}

async function listFiles(root: string, relative: string, stamps?: Stamps): Promise<FileEntry[]> {
  // A directory's stamp moves when an entry is added, removed or renamed.
  if (stamps !== undefined) stamps.set(relative === '' ? '.' : relative, stampOf(path.join(root, relative)));
  const dirents = await readdir(path.join(root, relative), { withFileTypes: true });
  const nested = await Promise.all(
    dirents.map(async (dirent): Promise<FileEntry[]> => {
      const child = relative === '' ? dirent.name : `${relative}/${dirent.name}`;
      if (dirent.isDirectory()) return dirent.name === 'node_modules' ? [] : listFiles(root, child, stamps);
      if (dirent.isSymbolicLink()) return [{ relative: child, symlink: true }];
      if (dirent.isFile()) return [{ relative: child, symlink: false }];
      return []; // sockets, fifos: not content
    }),
  );
  return nested.flat();
}

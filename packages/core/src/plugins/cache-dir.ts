import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Where discovery indexes and compiled validators are kept. Next to the
 * project's packages (`node_modules/.cache/osbuild-ts`, like other tools'
 * caches, removed together with node_modules), else the user's cache
 * directory, else a per-user temp directory. Only directories we can write
 * are chosen; on read-only trees everything still works, just uncached.
 */
export function chooseCacheDir(nodeModulesCandidates: string[]): string | null {
  const nearest = nodeModulesCandidates.find((dir) => existsSync(dir));
  const candidates: string[] = [];
  if (nearest !== undefined) candidates.push(path.join(nearest, '.cache', 'osbuild-ts'));
  candidates.push(userCacheDir());
  for (const dir of candidates) {
    if (isWritableOrCreatable(dir)) return dir;
  }
  // Cached validators are code we run: in a shared temp directory, only use
  // one that we own and nobody else can write to.
  const temp = path.join(os.tmpdir(), `osbuild-ts-${uid()}`);
  try {
    mkdirSync(temp, { mode: 0o700 });
  } catch {
    // exists already (checked below) or cannot be made
  }
  return isPrivateDir(temp) ? temp : null;
}

function isPrivateDir(dir: string): boolean {
  const st = statSync(dir, { throwIfNoEntry: false });
  if (st === undefined || !st.isDirectory() || (st.mode & 0o022) !== 0) return false;
  return typeof process.getuid !== 'function' || st.uid === process.getuid();
}

/** Creates `dir` if needed; false when that is not possible. */
export function ensureDir(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true });
    return true;
  } catch {
    return false;
  }
}

function userCacheDir(): string {
  const xdg = process.env['XDG_CACHE_HOME'];
  const base = xdg !== undefined && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache');
  return path.join(base, 'osbuild-ts');
}

function uid(): string {
  return typeof process.getuid === 'function' ? String(process.getuid()) : 'user';
}

function isWritableOrCreatable(dir: string): boolean {
  // Walk up to the first existing ancestor: creating `dir` needs that one writable.
  let probe = dir;
  for (;;) {
    if (existsSync(probe)) {
      try {
        accessSync(probe, constants.W_OK);
        return true;
      } catch {
        return false;
      }
    }
    const parent = path.dirname(probe);
    if (parent === probe) return false;
    probe = parent;
  }
}

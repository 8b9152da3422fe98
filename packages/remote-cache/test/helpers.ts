import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll } from 'vitest';

export const repoRoot = join(import.meta.dirname, '..', '..', '..');
export const bin = join(repoRoot, 'packages', 'cli', 'bin', 'osbuild.js');

/** Directories made by temp() in this test file, removed when it ends (stores of whole trees: hundreds of MB each). */
const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // a mount left by a failed test: the store's next open, or the machine, cleans it
    }
  }
});

export const temp = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
};

/** A project whose plugins are the repository's, plus the engine's shell fixture stage (org.test.shell). */
export function makeProject(): string {
  const project = temp('osbuild-remote-project-');
  mkdirSync(join(project, 'node_modules', '@osbuild-ts-fixtures'), { recursive: true });
  symlinkSync(join(repoRoot, 'node_modules', '@osbuild-ts'), join(project, 'node_modules', '@osbuild-ts'));
  symlinkSync(join(repoRoot, 'packages', 'engine', 'test', 'fixtures', 'stage-shell'), join(project, 'node_modules', '@osbuild-ts-fixtures', 'stage-shell'));
  return project;
}

/** A shell pipeline printing `bytes` of incompressible but reproducible data (a rebuilt stage makes the same file). */
export const noise = (bytes: number, seed = 1) =>
  `openssl enc -aes-128-ctr -K ${seed.toString(16).padStart(32, '0')} -iv 0 -nosalt -in /dev/zero 2>/dev/null | head -c ${bytes}`;

export const shell = (script: string) => ({ type: 'org.test.shell', options: { script } });
export const mkdir = (path: string) => ({ type: 'org.osbuild.mkdir', options: { paths: [{ path, parents: true }] } });

/**
 * A tree that exercises what must round-trip: owners, set-uid modes,
 * nanosecond mtimes, xattrs (security.selinux included), hardlinks, device
 * nodes, fifos, symlinks, and (in the last layer) overlay whiteouts and an
 * opaque directory. `salt` makes the cache keys unique to one test.
 */
export function richManifest(salt = randomBytes(6).toString('hex'), extra: unknown[] = [], options: { whiteouts?: boolean } = {}): string {
  const doc = {
    version: '2',
    pipelines: [
      {
        name: 'tree',
        stages: [
          mkdir(`/etc/salt-${salt}`),
          shell(
            [
              'echo hello > etc/a',
              'ln etc/a etc/hard',
              'mkdir -p dev usr/lib/x && mknod dev/null0 c 1 3 && mknod dev/blk b 7 0',
              'mkfifo run.fifo',
              'ln -s ../etc/a etc/sym',
              `${noise(300000)} > usr/lib/x/blob`,
              'chown 123:456 etc/a && chmod 4751 etc/a',
              'setfattr -n user.note -v remote etc/a',
              'setfattr -n security.selinux -v system_u:object_r:etc_t:s0 etc/a',
              'setfattr -n security.capability -v 0sAQAAAgAgAAAAAAAAAAAAAAAAAAA= usr/lib/x/blob',
              "touch -h -d '2001-02-03 04:05:06.123456789' etc/a etc/sym",
            ].join('\n'),
          ),
          // Whiteouts only where asked: see the note in remote-cache.test.ts on layers with whiteouts built here.
          shell(options.whiteouts === true ? 'rm etc/sym dev/blk && rm -r usr/lib/x && mkdir -p usr/lib/x && echo new > usr/lib/x/file && echo 2 > etc/b' : 'echo new > usr/lib/x/file && echo 2 > etc/b'),
          ...extra,
        ],
      },
    ],
  };
  const file = join(temp('osbuild-remote-manifest-'), 'manifest.json');
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function osbuild(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, OSBUILD_DEBUG: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/**
 * `osbuild --export tree --json` of `manifest` into `store`, with `project`'s plugins, where
 * registry logins come only from `env`: the auth-file locations point into `dir`, where
 * none exist unless a test writes them.
 */
export function buildWithoutLogins(project: string, dir: string, store: string, manifest: string, extra: string[], env: Record<string, string> = {}): Promise<Run> {
  return osbuild(['--libdir', project, '--store', store, '--output-directory', join(store, '..', 'out'), '--export', 'tree', '--json', ...extra, manifest], {
    REGISTRY_AUTH_FILE: join(dir, 'missing.json'),
    XDG_RUNTIME_DIR: join(dir, 'none'),
    HOME: join(dir, 'home'),
    ...env,
  });
}

export interface StageEntry {
  id: string;
  type: string;
  cached: boolean;
  remote?: 'pulled' | 'pushed';
}

export function stagesOf(run: Run): StageEntry[] {
  try {
    return (JSON.parse(run.stdout) as { 'osbuild-ts': { stages: StageEntry[] } })['osbuild-ts'].stages;
  } catch {
    throw new Error(`not a --json result (exit ${run.status}): ${run.stdout.slice(0, 500)}\n${run.stderr.slice(-2000)}`);
  }
}

/** Every entry of a tree: path, type, mode, owner, size, mtime (ns), links, rdev, symlink target, content digest, xattrs. */
export function treeListing(dir: string, options: { mtimes?: boolean } = {}): string {
  const format = options.mtimes === false ? '%p %y %m %U %G %s %n %l\\n' : '%p %y %m %U %G %s %T@ %n %l\\n';
  const script = [
    'cd "$1"',
    `find . -printf '${format}' | sort`,
    "find . \\( -type b -o -type c \\) -exec stat -c '%n %t:%T' {} + | sort",
    'find . -type f -exec sha256sum {} + | sort -k2',
    'find . | sort | tr "\\n" "\\0" | xargs -0 getfattr -h -d -m - 2>/dev/null',
  ].join('\n');
  return execFileSync('sh', ['-c', script, 'sh', dir], { encoding: 'utf8', maxBuffer: 1 << 28 });
}

/** objects/<key> keys of a store, by osbuild stage id. */
export function keysById(store: string): Map<string, string> {
  const keys = new Map<string, string>();
  for (const key of readdirSync(join(store, 'objects'))) {
    try {
      const info = JSON.parse(readFileSync(join(store, 'objects', key, 'object.info'), 'utf8')) as { id: string };
      keys.set(info.id, key);
    } catch {
      // not an object
    }
  }
  return keys;
}

/** Tags the registry has for a repository (from its storage, not its API: what is really there). */
export function storedTags(storage: string, repository: string): string[] {
  try {
    return readdirSync(join(storage, 'docker', 'registry', 'v2', 'repositories', repository, '_manifests', 'tags'));
  } catch {
    return [];
  }
}

export function blobFile(storage: string, digest: string): string {
  const hex = digest.replace(/^sha256:/, '');
  return join(storage, 'docker', 'registry', 'v2', 'blobs', 'sha256', hex.slice(0, 2), hex, 'data');
}

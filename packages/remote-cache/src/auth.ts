/**
 * Registry credentials, from the files docker and podman write
 * (`podman login`, `docker login`): the first file that has credentials for
 * the host wins. In a file, as docker does: the host's credential helper
 * (`credHelpers`), then an `auths` entry with a login, then the default
 * helper (`credsStore`). A helper is the program `docker-credential-NAME`
 * on PATH, run as `docker-credential-NAME get` with the host on stdin; it
 * prints `{"ServerURL", "Username", "Secret"}`, or fails when it has
 * nothing for the host. Identity tokens (Username `<token>`, an OAuth2
 * refresh token) are not supported: such an entry is skipped.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

export function authFiles(env: NodeJS.ProcessEnv = process.env): string[] {
  const files: string[] = [];
  if (env['REGISTRY_AUTH_FILE']) files.push(env['REGISTRY_AUTH_FILE']);
  if (env['XDG_RUNTIME_DIR']) files.push(join(env['XDG_RUNTIME_DIR'], 'containers', 'auth.json'));
  files.push(join(env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config'), 'containers', 'auth.json'));
  files.push(join(env['DOCKER_CONFIG'] ?? join(homedir(), '.docker'), 'config.json'));
  return files;
}

interface AuthFile {
  auths?: Record<string, { auth?: string; username?: string; password?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

const variants = (host: string) => [host, `https://${host}`, `http://${host}`, `${host}/v2/`, `https://${host}/v2/`];

export async function findCredentials(host: string, files: readonly string[] = authFiles()): Promise<Credentials | null> {
  for (const file of files) {
    let doc: AuthFile;
    try {
      doc = JSON.parse(await readFile(file, 'utf8')) as AuthFile;
    } catch {
      continue;
    }
    const helper = variants(host).map((name) => doc.credHelpers?.[name]).find((name) => typeof name === 'string' && name !== '');
    if (helper !== undefined) {
      const found = await fromHelper(helper, host);
      if (found !== null) return found;
    }
    const auths = doc.auths ?? {};
    const entry = variants(host).map((name) => auths[name]).find((e) => e !== undefined);
    if (entry !== undefined) {
      if (typeof entry.auth === 'string' && entry.auth !== '') {
        const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
      }
      if (typeof entry.username === 'string' && typeof entry.password === 'string') return { username: entry.username, password: entry.password };
    }
    if (typeof doc.credsStore === 'string' && doc.credsStore !== '') {
      const found = await fromHelper(doc.credsStore, host);
      if (found !== null) return found;
    }
  }
  return null;
}

/** `docker-credential-NAME get` for `host`; null when it has nothing (or cannot run: a registry without a login then just asks for one). */
export function fromHelper(name: string, host: string): Promise<Credentials | null> {
  if (!/^[\w.-]+$/.test(name)) return Promise.resolve(null);
  return new Promise((resolve) => {
    const child = execFile(`docker-credential-${name}`, ['get'], { timeout: 10_000, maxBuffer: 1 << 20 }, (error, stdout) => {
      if (error !== null) return resolve(null);
      try {
        const doc = JSON.parse(stdout) as { Username?: unknown; Secret?: unknown };
        if (typeof doc.Username === 'string' && typeof doc.Secret === 'string' && doc.Username !== '<token>' && doc.Secret !== '') {
          return resolve({ username: doc.Username, password: doc.Secret });
        }
      } catch {
        // not the helper protocol's answer
      }
      resolve(null);
    });
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(host);
  });
}

export interface Challenge {
  readonly scheme: string;
  readonly params: Record<string, string>;
}

/** `Bearer realm="https://auth/token",service="registry",scope="repository:x:pull"` */
export function parseChallenge(header: string): Challenge | null {
  const match = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (match === null) return null;
  const params: Record<string, string> = {};
  const re = /(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  for (let m = re.exec(match[2]!); m !== null; m = re.exec(match[2]!)) params[m[1]!.toLowerCase()] = (m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1');
  return { scheme: match[1]!.toLowerCase(), params };
}

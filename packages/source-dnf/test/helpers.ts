import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { buildRpms } from '@osbuild-ts/plugin-kit/testing';
import { runSourceLocally, startTestServer, type LocalSourceRun } from '@osbuild-ts/source-kit/testing';

export const packageDir = join(import.meta.dirname, '..');
export const entry = join(packageDir, 'dist', 'main.js');
export const depsolveBin = join(packageDir, 'bin', 'osbuild-depsolve-dnf.js');
const specDir = join(import.meta.dirname, 'fixtures', 'rpms');

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a Node script (a bin of this or another package) to its end, without blocking the test's servers. */
export function runNode(script: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A stage's inputs in a template: the RPMs and the repository metadata of description `name`. */
export function pinnedInputs(name: string) {
  return {
    rpms: { type: 'org.osbuild.files', origin: 'org.osbuild.source', references: { 'osbuild-ts:dnf-depsolve': name } },
    repodata: { type: 'org.osbuild.files', origin: 'org.osbuild.source', references: { 'osbuild-ts:dnf-repodata': name } },
  };
}

export const sha256 = (data: Buffer | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface Rpm {
  name: string;
  /** File name: `osbt-hello-1.0-1.noarch.rpm`. */
  file: string;
  /** Where the built file is. */
  source: string;
  bytes: Buffer;
  checksum: string;
}

/** The test RPMs, built from test/fixtures/rpms/*.spec by plugin-kit's shared builder (cached by spec content). */
export function testRpms(): Rpm[] {
  return buildRpms({ specDir }).map((rpm) => {
    const bytes = readFileSync(rpm.source);
    return { ...rpm, bytes };
  });
}

export interface TestRepository {
  dir: string;
  /** Each RPM with its path in the repository (`Packages/o/<file>`). */
  rpms: (Rpm & { path: string })[];
  rpm(name: string): Rpm & { path: string };
  /** repodata/repomd.xml's bytes. */
  repomd: Buffer;
}

/** A yum repository of the test RPMs, Fedora's layout, made with createrepo_c. */
export function makeRepository(names?: string[]): TestRepository {
  const dir = tempDir('osbt-repo-');
  const rpms = testRpms()
    .filter((r) => names === undefined || names.includes(r.name))
    .map((r) => {
      const path = `Packages/${r.file[0]}/${r.file}`;
      mkdirSync(join(dir, 'Packages', r.file[0]!), { recursive: true });
      copyFileSync(r.source, join(dir, path));
      return { ...r, path };
    });
  execFileSync('createrepo_c', ['--no-database', dir], { stdio: 'pipe' });
  return {
    dir,
    rpms,
    rpm: (name) => rpms.find((r) => r.name === name) ?? expectNever(name),
    repomd: readFileSync(join(dir, 'repodata', 'repomd.xml')),
  };
}

function expectNever(name: string): never {
  throw new Error(`no test RPM named ${name}`);
}

/** A mirror that is down: it accepts connections and drops them at once, counting them. */
export async function hangingUp(): Promise<{ port: number; connections(): number }> {
  let count = 0;
  const server = net.createServer((socket) => {
    count++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.address() as net.AddressInfo).port, connections: () => count };
}

/** Runs the org.osbuild.librepo plugin as the engine would, with fast retries unless the test says otherwise. */
export function fetch(items: Record<string, unknown>, options: Record<string, unknown>, run: Partial<LocalSourceRun> = {}) {
  const cache = run.cache ?? tempDir('librepo-cache-');
  return runSourceLocally({ entry, items, options, cache, ...run, overrides: { rounds: 3, backoff: [0.01, 0.02], ...run.overrides } });
}

/** The librepo items of a repository's RPMs: checksum → {path, mirror}. */
export function itemsOf(repo: TestRepository, mirror: string, names?: string[]): Record<string, { path: string; mirror: string }> {
  return Object.fromEntries(repo.rpms.filter((r) => names === undefined || names.includes(r.name)).map((r) => [r.checksum, { path: r.path, mirror }]));
}

/**
 * A repository served with a metalink for it at `/metalink`, and a stale
 * mirror (an older repository: only osbt-hello) that the metalink lists too,
 * first or last.
 */
export async function metalinkMirrors({ staleFirst }: { staleFirst: boolean }) {
  const repo = makeRepository();
  const staleServer = await startTestServer({ root: makeRepository(['osbt-hello']).dir });
  const server = await startTestServer({ root: repo.dir });
  const urls = [server.url, staleServer.url].map((base) => `${base}/repodata/repomd.xml`);
  server.files.set('/metalink', Buffer.from(metalink(repo.repomd, staleFirst ? urls.reverse() : urls)));
  return { repo, server, staleServer };
}

/** A mirrormanager-style metalink (v3) for repomd.xml. */
export function metalink(repomd: Buffer, urls: string[]): string {
  const digest = (algorithm: string) => `<hash type="${algorithm}">${createHash(algorithm).update(repomd).digest('hex')}</hash>`;
  return `<?xml version="1.0" encoding="utf-8"?>
<metalink version="3.0" xmlns="http://www.metalinker.org/" type="dynamic" generator="mirrormanager" xmlns:mm0="http://fedorahosted.org/mirrormanager">
 <files>
  <file name="repomd.xml">
   <mm0:timestamp>1700000000</mm0:timestamp>
   <size>${repomd.length}</size>
   <verification>${['md5', 'sha1', 'sha256', 'sha512'].map(digest).join('')}</verification>
   <mm0:alternates><mm0:alternate><mm0:timestamp>1690000000</mm0:timestamp><verification><hash type="sha512">${'0'.repeat(128)}</hash></verification></mm0:alternate></mm0:alternates>
   <resources maxconnections="1">
${urls.map((url, i) => `    <url protocol="http" type="http" location="XX" preference="${100 - i}">${url}</url>`).join('\n')}
   </resources>
  </file>
 </files>
</metalink>
`;
}
